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

from dataclasses import dataclass, field

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
    assumed: dict[str, str] = field(default_factory=dict)
    """Field → header matched only by a loose synonym ("Impact" → business_impact): an assumption
    shown to the user, undone by mapping the header to ~."""
    derived: dict[str, str] = field(default_factory=dict)
    """Field → what the mapping's field rule did ("set to 'high' in every row")."""
    filtered_rows: int = 0
    """Rows left out by the mapping's `where` (not validated, not counted in total_rows)."""
    merged_rows: int = 0
    """Rows of a repeated id merged into its latest row (`repeated_ids: latest`)."""
    events: int | None = None
    """For an exercise timeline: the events the exercises were made from."""
    file_format: str | None = None
    """How the file was read when not plain CSV/XLSX (e.g. "Zeek log cip_identity")."""
    mapped_away: tuple[str, ...] = ()
    """Headers of the file the mapping ignores on purpose (mapped to ~)."""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def invalid_rows(self) -> int:
        return self.total_rows - self.kept_rows

    def summary(self) -> str:
        if self.ok:
            return f"{self.source}: {self.total_rows} row(s) of {self.dataset}, all valid{self._origin()}"
        return (f"{self.source}: {self.problem_count} problem(s) in {self.invalid_rows} of {self.total_rows} "
                f"row(s) of {self.dataset}; {self.kept_rows} row(s) are valid{self._origin()}")

    def _origin(self) -> str:
        """Where the rows came from, when not one row per row of the file."""
        parts = []
        if self.events is not None:
            parts.append(f"made from {self.events} timeline event(s)")
        if self.filtered_rows:
            parts.append(f"{self.filtered_rows} row(s) left out by the mapping's where")
        if self.merged_rows:
            parts.append(f"{self.merged_rows} older row(s) of repeated ids merged into the latest")
        return f" ({'; '.join(parts)})" if parts else ""

    def notes(self) -> list[str]:
        """What the reader decided that the user should know: the header row, assumptions, rules."""
        above = {1: "", 2: " (row 1 above it skipped)"}.get(self.header_row, f" (rows 1–{self.header_row - 1} above it skipped)")
        out = [f"header: row {self.header_row}{above}"] if self.header_row >= 1 else []
        if self.file_format:
            out.append(f"read as {self.file_format}")
        if self.encoding not in (None, "utf-8", "ascii"):
            out.append(f"encoding: {self.encoding}")
        for name, header in self.assumed.items():
            out.append(f"assumed: column '{header}' is {name} (a generic header name); if it is not, map it to ~ "
                       f"(columns: {{\"{header}\": ~}})")
        for name, rule in self.derived.items():
            out.append(f"{name}: {rule}")
        return out

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
            "assumed": dict(self.assumed),
            "derived": dict(self.derived),
            "filtered_rows": self.filtered_rows,
            "merged_rows": self.merged_rows,
            "events": self.events,
            "file_format": self.file_format,
        }


def _problem(p: Problem) -> dict:
    return {"location": p.location, "message": p.message, "hint": p.hint}
