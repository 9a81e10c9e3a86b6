"""`ValidatedDataset`: what reading one evidence file produced.

`frame` is the normalised table of the valid rows: one column per canonical field of the dataset,
in schema order, typed as `evidence.schemas` describes (text → ``str``, enum → Categorical,
bool → bool, date → ``datetime64[s]``, number → float64; blanks missing). Its index, named
``row``, is each row's number as the user sees it in the file. Storage persists these rows;
`evidence.metrics.compute_metrics` reads them.

A file with problems is not imported unless the caller asks to keep the valid rows:
`accepted(keep_valid)` returns the frame or raises one EvidenceError listing the problems.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from errors import EvidenceError, Problem


@dataclass(frozen=True)
class ValidatedDataset:
    dataset: str
    source: str
    frame: pd.DataFrame
    problems: tuple[Problem, ...]
    problem_count: int
    total_rows: int
    kept_rows: int
    columns: dict[str, str]
    """Canonical field → header as written in the file."""
    ignored_columns: tuple[str, ...] = ()
    absent_fields: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    header_row: int = 1
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    invalid_row_numbers: tuple[int, ...] = ()
    """Row numbers (as the user sees them in the file) of every invalid row, listed or not."""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def invalid_rows(self) -> int:
        return self.total_rows - self.kept_rows

    def summary(self) -> str:
        if self.ok:
            return f"{self.source}: {self.total_rows} row(s) of {self.dataset}, all valid"
        return (f"{self.source}: {self.problem_count} problem(s) in {self.invalid_rows} of {self.total_rows} "
                f"row(s) of {self.dataset}; {self.kept_rows} row(s) are valid")

    def listed_problems(self) -> list[Problem]:
        """The listed problems, plus a line saying how many more were found but not listed."""
        more = self.problem_count - len(self.problems)
        tail = [Problem(self.source, f"… and {more} more problem(s) not listed")] if more > 0 else []
        return [*self.problems, *tail]

    def accepted(self, keep_valid: bool = False) -> pd.DataFrame:
        """The rows to import: all of them when valid, only the valid ones when `keep_valid`."""
        if self.ok or keep_valid:
            return self.frame
        raise EvidenceError(
            f"{self.summary()}; nothing imported (keep only the valid rows to import them)",
            self.listed_problems(),
        )

    def report(self) -> dict:
        """JSON-ready validation report."""
        return {
            "dataset": self.dataset,
            "source": self.source,
            "valid": self.ok,
            "total_rows": self.total_rows,
            "kept_rows": self.kept_rows,
            "invalid_rows": self.invalid_rows,
            "problem_count": self.problem_count,
            "problems": [_problem(p) for p in self.problems],
            "warnings": [_problem(p) for p in self.warnings],
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "absent_fields": list(self.absent_fields),
            "header_row": self.header_row,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
        }


def _problem(p: Problem) -> dict:
    return {"location": p.location, "message": p.message, "hint": p.hint}
