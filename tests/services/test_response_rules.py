"""One answer rule for every way in: the same cells through the app's autosave, a responses file and
the offline questionnaire workbook get the same verdict — the same stored answer, or a refusal
naming the same field with the same message (scoring/response_input.py)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from errors import ResponseError
from services import answers
from services.assessments import create_assessment, load_assessment
from services.questionnaire_workbook import export_workbook, import_workbook
from services.sites import add_site
from storage import responses as stored_responses
from tests.services.helpers import ADMIN

PAIR = ("GOV-01", "IT")
BLANK = (None, False, "", None, "")
NEEDS_REASON = ("refused", "na_reason", "N/A needs a reason")


def ok(current=None, na=False, na_reason="", target=None, notes=""):
    return (current, na, na_reason, target, notes)


def refused(field: str, message: str):
    return ("refused", field, message)


# (id, answer stored before (None = none, else saved as data from before the rules), cells
# (current, na_reason, target, notes), verdict)
CASES = [
    ("level", None, (3, None, None, None), ok(3)),
    ("level-as-text", None, (" 3 ", None, None, None), ok(3)),
    ("level-as-float", None, (3.0, None, None, None), ok(3)),
    ("level-0", None, (0, None, None, None), ok(0)),
    ("level-5-target-5", None, (5, None, 5, None), ok(5, target=5)),
    ("level-6", None, (6, None, None, None), refused("current", "'6' is not a maturity level")),
    ("level-negative", None, (-1, None, None, None), refused("current", "'-1' is not a maturity level")),
    ("level-fraction", None, (2.5, None, None, None), refused("current", "'2.5' is not a maturity level")),
    ("level-word", None, ("three", None, None, None), refused("current", "'three' is not a maturity level")),
    ("level-true", None, (True, None, None, None), refused("current", "'True' is not a maturity level")),
    ("na", None, ("NA", "no OT here", None, None), ok(na=True, na_reason="no OT here")),
    ("na-slash", None, ("n/a", "no OT here", None, None), ok(na=True, na_reason="no OT here")),
    ("na-words", None, ("Not applicable", "no OT here", None, None), ok(na=True, na_reason="no OT here")),
    ("na-spaced", None, (" na ", " no OT here ", None, None), ok(na=True, na_reason="no OT here")),
    ("na-keeps-target", None, ("NA", "no OT here", 4, None), ok(na=True, na_reason="no OT here", target=4)),
    ("na-without-reason", None, ("NA", None, None, None), NEEDS_REASON),
    ("na-blank-reason", None, ("NA", "   ", None, None), NEEDS_REASON),
    ("na-reason-in-notes", None, ("NA", None, None, "no OT here"), NEEDS_REASON),
    ("reason-with-level", None, (3, "why", None, None),
     refused("na_reason", "a reason is given but the answer is level 3, not N/A")),
    ("reason-alone", None, (None, "why", None, None),
     refused("na_reason", "a reason is given but the answer is blank, not N/A")),
    ("target-below-current", None, (4, None, 2, None), ok(4, target=2)),
    ("target-6", None, (None, None, 6, None), refused("target", "'6' is not a maturity level")),
    ("target-word", None, (None, None, "high", None), refused("target", "'high' is not a maturity level")),
    ("notes-trimmed", None, (2, None, None, "  seen the RACI\r\nline 2  "), ok(2, notes="seen the RACI\nline 2")),
    ("all-blank", None, (None, None, None, None), ok()),
    ("old-na-without-reason-untouched", ok(na=True), ("NA", None, None, "asked the plant"),
     ok(na=True, notes="asked the plant")),
    ("old-na-without-reason-new-target", ok(na=True), ("n/a", None, 3, None), ok(na=True, target=3)),
    ("old-na-without-reason-to-level", ok(na=True), (2, None, None, None), ok(2)),
    ("level-to-na-without-reason", ok(2), ("NA", None, None, None), NEEDS_REASON),
    ("na-reason-cleared", ok(na=True, na_reason="no OT here"), ("NA", "", None, None), NEEDS_REASON),
]


def _autosave(ctx, assessment_id, cells, folder: Path) -> None:
    current, reason, target, notes = cells
    version = _version(ctx, assessment_id)
    answers.save_response(ctx, ADMIN, assessment_id, *PAIR, {"current": current, "na_reason": reason, "target": target,
                                                        "notes": notes}, expected_version=version)


def _responses_file(ctx, assessment_id, cells, folder: Path) -> None:
    current, reason, target, notes = cells
    book = Workbook()
    book.active.append(["question_id", "environment", "current", "target", "notes", "na_reason"])
    book.active.append([*PAIR, current, target, notes, reason])
    path = folder / f"responses-{assessment_id}.xlsx"
    book.save(path)
    answers.import_responses(ctx, ADMIN, assessment_id, path)


def _workbook(ctx, assessment_id, cells, folder: Path) -> None:
    wb = load_workbook(io.BytesIO(export_workbook(ctx, ADMIN, assessment_id)))
    sheet = wb["Governance"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "|".join(PAIR))
    for column, value in zip(("Current", "NA reason", "Target", "Notes"), cells, strict=True):
        row[header.index(column)].value = value
    out = io.BytesIO()
    wb.save(out)
    import_workbook(ctx, ADMIN, assessment_id, out.getvalue(), name="answers.xlsx")


def _version(ctx, assessment_id) -> int:
    found = [r for r in load_assessment(ctx, ADMIN, assessment_id).responses if (r.question_id, r.environment) == PAIR]
    return found[0].version if found else 0


PATHS = {"autosave": _autosave, "responses file": _responses_file, "workbook": _workbook}


def _verdict(ctx, assessment_id, path: str, cells, folder: Path) -> tuple:
    try:
        PATHS[path](ctx, assessment_id, cells, folder)
    except ResponseError as error:
        found = [("refused", _field(p.location), p.message) for p in error.problems]
        return found[0] if len(found) == 1 else tuple(found)
    found = [r for r in load_assessment(ctx, ADMIN, assessment_id).responses if (r.question_id, r.environment) == PAIR]
    return (found[0].current, found[0].na, found[0].na_reason, found[0].target, found[0].notes) if found else BLANK


def _field(location: str) -> str:
    """'GOV-01 (IT): na_reason', "r.xlsx row 2, column 'na_reason'", "sheet 'X' row 2, column 'NA reason'"."""
    column = re.search(r"column '([^']+)'$", location)
    name = column.group(1) if column else location.rsplit(": ", 1)[-1]
    return name.lower().replace(" ", "_")


# SQLite only: the verdicts do not depend on the database (the three paths run on PostgreSQL too in
# tests/services/test_lifecycle.py and tests/exports/test_workbook_conflicts.py).
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_same_cells_get_the_same_verdict_on_every_path(ctx, tmp_path) -> None:
    add_site(ctx, ADMIN, "Plant North", country="DE", criticality="high")
    days = iter(range(1000))
    legacy_time = datetime(2025, 6, 1, tzinfo=UTC)
    disagreements = []
    for name, before, cells, expected in CASES:
        verdicts = {}
        for path in PATHS:
            as_of = date(2026, 1, 1) + timedelta(days=next(days))
            assessment_id = create_assessment(ctx, ADMIN, site="Plant North", scope="IT+OT", as_of=as_of).id
            if before is not None:  # an answer saved before these rules: written as data, bypassing them
                values = dict(zip(("current", "na", "na_reason", "target", "notes"), before, strict=True))
                with ctx.write() as session:
                    stored_responses.save(session, assessment_id, *PAIR, values, expected_version=0,
                                          user="legacy", now=legacy_time)
            verdicts[path] = _verdict(ctx, assessment_id, path, cells, tmp_path)
        if any(v != expected for v in verdicts.values()):
            disagreements.append((name, expected, verdicts))
    assert disagreements == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_responses_file_without_a_column_keeps_its_stored_values(ctx, tmp_path) -> None:
    add_site(ctx, ADMIN, "Plant North", country="DE", criticality="high")
    a = create_assessment(ctx, ADMIN, site="Plant North", scope="IT+OT", as_of=date(2026, 3, 31))
    answers.save_response(ctx, ADMIN, a.id, *PAIR, {"current": "NA", "na_reason": "IT runs centrally", "target": 4,
                                               "notes": "seen"}, expected_version=0)
    levels_only = tmp_path / "levels.csv"
    levels_only.write_text("question_id,environment,current\nGOV-01,IT,n/a\n", encoding="utf-8")
    assert answers.import_responses(ctx, ADMIN, a.id, levels_only) == 0
    [kept] = load_assessment(ctx, ADMIN, a.id).responses
    assert (kept.na, kept.na_reason, kept.target, kept.notes, kept.version) == (True, "IT runs centrally", 4, "seen", 1)
