"""Issue 11.3: a small hostile XLSX must never kill, stall or fool an entry point that reads one.

Every generated workbook goes through evidence check, evidence import, `responses import`,
`score --responses` and the questionnaire-workbook import (children of `conftest.hostile_runs`):
each refuses it with a clear error naming the file, never a crash or a traceback. A used range
beyond the limit is refused before the XLSX engine builds anything; an engine panic is an error.
"""

from __future__ import annotations

import pytest

from tests.security import hostile

ENTRIES = ["evidence-check", "evidence-import", "responses-import", "score", "workbook-import"]
REFUSAL = {
    "corner.xlsx": "its used range A1:XFD1048576 spans 17,179,869,184 cells",
    "mid-sheet.xlsx": "its used range A1:M500000 spans 6,500,000 cells",
    "date-panic.xlsx": "the XLSX reader failed on this file",
    "duration-overflow.xlsx": "not a readable XLSX workbook (OverflowError",
}


def _result(runs: dict, entry: str, name: str) -> dict:
    run = runs[entry]
    assert name in run["files"], f"{entry} died before reporting {name} (exit {run['returncode']}):\n{run['stderr']}"
    return run["files"][name]


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_valid_file_goes_through(hostile_runs, entry) -> None:
    first = hostile_runs[entry]["planned"][0]
    result = _result(hostile_runs, entry, first)
    assert result["exit_code"] == 0, result["output"]


@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize("name", list(hostile.WORKBOOKS))
def test_hostile_workbooks_are_refused_with_a_clear_error(hostile_runs, entry, name) -> None:
    result = _result(hostile_runs, entry, name)
    assert result["exit_code"] == 1 and "Traceback" not in result["output"], result["output"]
    assert name in result["output"]
    if name in REFUSAL and entry != "workbook-import":  # the workbook import first asks for its _meta sheet
        assert REFUSAL[name] in result["output"]


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_child_process_ends_cleanly(hostile_runs, entry) -> None:
    run = hostile_runs[entry]
    assert run["returncode"] == 0 and set(run["files"]) == set(run["planned"]), run["stderr"]


def test_a_dimension_claim_alone_changes_nothing(hostile_runs) -> None:
    result = _result(hostile_runs, "workbook-import", "huge-dimension.xlsx")
    assert result["exit_code"] == 0, result["output"]  # only the cells written count, not the claim
    assert result["seconds"] < 20


def test_questionnaire_sheets_are_checked_before_they_are_loaded(hostile_runs) -> None:
    """The exported workbook (80 KB) with one cell at XFD1048576 kept the import busy for minutes."""
    stray = _result(hostile_runs, "workbook-import", "stray-cell.xlsx")
    assert stray["exit_code"] == 1 and "used range A1:XFD1048576" in stray["output"] and stray["seconds"] < 20
    panic = _result(hostile_runs, "workbook-import", "workbook-date-panic.xlsx")
    assert panic["exit_code"] == 1 and "the XLSX reader failed on this file" in panic["output"]
    assert "Traceback" not in stray["output"] + panic["output"]
