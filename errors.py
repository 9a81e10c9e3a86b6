"""One error family for every user mistake the product can meet.

A `ScorecardError` carries one or more `Problem`s, each with a location a user can act on
(``questionnaires/x.yaml: questions[12].csf[0]`` or ``inventory.xlsx row 14, column 'criticality'``),
a message and, where we can tell, a hint saying what would be right. The UI shows them with
``st.error``; the CLI prints them to stderr and exits 1. Anything that is not a `ScorecardError` is a
bug and stays loud.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, what, and what would be right."""

    location: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} ({self.hint})" if self.hint else text


class ScorecardError(Exception):
    """Base of the family. `problems` lists every problem found, never just the first."""

    def __init__(self, summary: str, problems: Iterable[Problem] = ()) -> None:
        self.summary = summary
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(summary)

    def __str__(self) -> str:
        if not self.problems:
            return self.summary
        return "\n".join([self.summary, *(f"  {p}" for p in self.problems)])

    def lines(self) -> list[str]:
        """The problems as `location: message` lines (the summary when there are none)."""
        return [str(p) for p in self.problems] or [self.summary]


class ContentError(ScorecardError):
    """A framework, questionnaire or other content file is invalid."""


class TableError(ScorecardError):
    """A file cannot be read as a table: too large, hostile, not what its name says, or malformed
    (raised by `tabular`; each consumer re-raises it as its own kind, e.g. EvidenceError)."""


class EvidenceError(ScorecardError):
    """An evidence file cannot be read or its rows are invalid."""


class ResponseError(ScorecardError):
    """Questionnaire responses (UI, CSV/XLSX, workbook) are invalid."""


class NotFoundError(ScorecardError):
    """A named record (site, assessment, framework...) does not exist."""


class ConflictError(ScorecardError):
    """A write was refused: someone else changed the record since it was read."""


class ReadOnlyError(ScorecardError):
    """A write to a finalised assessment (or another read-only record) was refused."""


class PermissionDeniedError(ScorecardError):
    """The signed-in user's role does not allow this action."""
