"""What counts as a valid answer to one question for one environment, however it arrives.

Three readers turn their cells into `ResponseValues` through `read_values` and decide nothing
themselves: the app's autosave (widget values), a responses file (CSV/XLSX cells) and the offline
questionnaire workbook. Which (question, environment) pairs may be answered is the other rule,
`scoring.applicability.pair_problem`. The value rules, in one place:

- `current`: blank = unanswered; a whole number 0–5 (`3`, `3.0` or the text "3"); or N/A, written
  `NA`, `N/A` or `not applicable` in any case (surrounding spaces ignored).
- `target`: blank = the questionnaire's default target; else a whole number 0–5. It may be below
  the current level (no gap), and it is kept on an N/A answer (where it is not used).
- `na_reason`, `notes`: text without surrounding spaces; line breaks are stored as "\\n" and other
  control characters are dropped (an Excel cell cannot hold them). Notes are never the reason.
- N/A needs a reason, and a reason goes only with N/A. An answer (current, N/A, reason) identical
  to the stored one is not judged again: an N/A saved without a reason before this rule existed
  does not block a file or workbook row that leaves it as it is; changing it needs a reason.
- A field the reader has no cell for keeps its stored value (the default for a new response),
  except that a `current` that is a level or blank drops the stored reason: the reason belongs to
  the N/A.
- `na` (true/false) is accepted from code as another way to say N/A; with a level it is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from scoring.model import Frozen, Response

Cell = Any
"""A cell as a reader gives it: None, str, int, float or bool."""

FIELDS = ("current", "na", "na_reason", "target", "notes")
NA_WORDS = frozenset({"na", "n/a", "not applicable"})
LEVELS = range(6)
CURRENT_HINT = "use 0–5, N/A or blank"
TARGET_HINT = "use 0–5 or blank"
_WHOLE = re.compile(r"\d+(?:\.0*)?")
NA_AND_LEVEL = ("N/A and a current level at once", "choose one")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an XLSX cell cannot hold; tab and line breaks stay


@dataclass(frozen=True)
class FieldProblem:
    """Why a field's cell is refused; the reader turns `field` into its own location."""

    field: str
    message: str
    hint: str = ""


class ResponseValues(Frozen):
    """The editable values of one response, as every reader must produce them."""

    current: int | None = Field(default=None, ge=0, le=5)
    na: bool = False
    na_reason: str = ""
    target: int | None = Field(default=None, ge=0, le=5)
    notes: str = ""

    @classmethod
    def of(cls, stored: Any) -> ResponseValues:
        """The values of a stored response (a `Response` or a storage record), kept exactly."""
        return cls.model_construct(**{f: getattr(stored, f) for f in FIELDS})

    def response(self, question_id: str, environment: str) -> Response:
        return Response(question_id=question_id, environment=environment, **self.model_dump())


@dataclass(frozen=True)
class Current:
    """A parsed `current` cell: a level, N/A, or neither (unanswered)."""

    level: int | None
    na: bool


def read_values(cells: Mapping[str, Cell], stored: ResponseValues | None = None
                ) -> tuple[ResponseValues | None, list[FieldProblem]]:
    """The response after applying `cells` (any of FIELDS) over `stored`, or every problem."""
    parsed, problems = parse_cells(cells)
    if problems:
        return None, problems
    return combine(parsed, stored)


def parse_cells(cells: Mapping[str, Cell]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Each cell on its own: `current` → Current, `target` → level, texts cleaned, `na` → bool."""
    parsed: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for field, cell in cells.items():
        if field == "current":
            if is_na(cell):
                parsed[field] = Current(None, True)
            else:
                level = _level(cell, field, CURRENT_HINT, problems)
                parsed[field] = Current(level, False)
        elif field == "target":
            parsed[field] = _level(cell, field, TARGET_HINT, problems)
        elif field in ("na_reason", "notes"):
            parsed[field] = clean_text(cell)
        elif field == "na":
            if isinstance(cell, bool):
                parsed[field] = cell
            else:
                problems.append(FieldProblem(field, f"{cell!r} is not true/false"))
        else:
            problems.append(FieldProblem(field, "not a response field", f"one of {', '.join(FIELDS)}"))
    return parsed, problems


def combine(parsed: Mapping[str, Any], stored: ResponseValues | None = None
            ) -> tuple[ResponseValues | None, list[FieldProblem]]:
    """Apply parsed cells over the stored values and judge the resulting answer (module rules)."""
    base = stored or ResponseValues()
    current, na = base.current, base.na
    reason = base.na_reason if base.na else ""
    given: Current | None = parsed.get("current")
    if given is not None:
        current, na = given.level, given.na
        if not given.na:
            reason = ""
    if "na" in parsed:
        if given is not None and (given.level is not None if parsed["na"] else given.na):
            return None, [FieldProblem("current", *NA_AND_LEVEL)]
        if parsed["na"]:
            current, na = None, True
        elif na:
            current, na, reason = None, False, ""
    reason = parsed.get("na_reason", reason)
    values = ResponseValues(current=current, na=na, na_reason=reason,
                            target=parsed.get("target", base.target), notes=parsed.get("notes", base.notes))
    if stored is not None and _same_answer(values, stored):
        return values, []  # not changed, so not judged again (see the module rules)
    if na and not reason:
        return None, [FieldProblem("na_reason", "N/A needs a reason", "say why the practice does not apply here")]
    if reason and not na:
        answer = "blank" if current is None else f"level {current}"
        return None, [FieldProblem("na_reason", f"a reason is given but the answer is {answer}, not N/A",
                                   "set current to N/A or clear the reason")]
    return values, []


def is_na(cell: Cell) -> bool:
    """True for the accepted spellings of N/A."""
    return isinstance(cell, str) and " ".join(cell.lower().split()) in NA_WORDS


def clean_text(cell: Cell) -> str:
    """A text cell as stored: surrounding spaces dropped, line breaks as "\\n", no control characters."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _same_answer(values: ResponseValues, stored: ResponseValues) -> bool:
    def answer(v: ResponseValues) -> tuple:
        return (None if v.na else v.current, v.na, clean_text(v.na_reason))
    return answer(values) == answer(stored)


def _level(cell: Cell, field: str, hint: str, problems: list[FieldProblem]) -> int | None:
    """A whole level 0–5, None for a blank cell; anything else is a problem."""
    value: int | None = None
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, str) and _WHOLE.fullmatch(cell.strip()):
        value = int(cell.strip().split(".")[0])
    elif isinstance(cell, int) and not isinstance(cell, bool):
        value = cell
    elif isinstance(cell, float) and cell.is_integer():
        value = int(cell)
    if value is None or value not in LEVELS:
        problems.append(FieldProblem(field, f"'{_shown(cell)}' is not a maturity level", hint))
        return None
    return value


def _shown(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
