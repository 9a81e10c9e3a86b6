"""`scorecard plan` end to end (click runner, real database on both backends): add, edit and list
actions, set the target's due date, show the projection as text and JSON, import an edited Plan
sheet, and every bad value refused with exit 1."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import scorecard
from tests.services.helpers import CONTENT


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(scorecard, list(args), catch_exceptions=False)

    return invoke


def test_plan_commands(run, tmp_path) -> None:
    assert run("site", "add", "Plant North", "--country", "DE", "--criticality", "high").exit_code == 0
    aid = run("assessment", "create", "--site", "Plant North", "--scope", "IT+OT", "--as-of", "2026-03-31").output.strip()
    answers = tmp_path / "answers.csv"
    answers.write_text("question_id,environment,current\nGOV-01,IT,2\nGOV-01,OT,2\nACC-01,IT,3\nACC-01,OT,1\n",
                       encoding="utf-8")
    assert run("responses", "import", aid, str(answers)).exit_code == 0

    added = run("plan", "add", aid, "--question", "ACC-01", "--env", "OT", "--title", "Jump host for vendors",
                "--due", "2026-09-30", "--promise", "ACC-01 OT 4", "--promise", "GOV-01 → 3", "--cost", "40,000",
                "--effort", "12", "--evidence-metric", "governed_access_pct", "--evidence-value", "95")
    assert added.exit_code == 0, added.output
    action = added.output.strip()
    bad = run("plan", "add", aid, "--question", "ACC-01", "--title", "x", "--promise", "ACC-02 IT 4", "--cost", "-1")
    assert bad.exit_code == 1 and "does not apply to IT" in bad.output and "'-1' is not a number" in bad.output
    edited = run("plan", "edit", aid, action, "--status", "in progress", "--cost", "35000")
    assert edited.exit_code == 0 and "version 2" in edited.output
    assert run("plan", "edit", aid, action).exit_code == 2  # nothing to change: a usage error
    listed = json.loads(run("plan", "list", aid, "--json").output)
    assert [(a["status"], a["cost"], a["promises"]) for a in listed] == [
        ("in_progress", 35000.0, [{"question_id": "ACC-01", "environment": "OT", "level": 4},
                                  {"question_id": "GOV-01", "environment": None, "level": 3}])]
    assert "promises ACC-01 OT → 4; GOV-01 → 3; evidence governed_access_pct 95" in run("plan", "list", aid).output

    assert run("plan", "target-due", aid, "2026-06-30").exit_code == 0
    shown = json.loads(run("plan", "show", aid, "--json").output)
    assert shown["today"] == "2026-03-31" and [p["label"] for p in shown["points"]] == ["today", "2026 Q2", "2026 Q3"]
    (target,) = shown["targets"]
    assert (target["due"], target["reached_on"], target["status"]) == ("2026-06-30", None, "off_track")
    (only,) = shown["actions"]
    assert (only["rank"], only["state"], only["counts_on"]) == (1, "scheduled", "2026-09-30")
    assert only["gain"] == round(only["gain"], 3) and only["gain"] > 0
    text = run("plan", "show", aid).output
    assert "plan as of 2026-03-31" in text and "#1" in text and "Jump host for vendors" in text
    assert run("plan", "show").exit_code == 2 and run("plan", "target-due", aid).exit_code == 2

    report = tmp_path / "report.xlsx"
    assert run("report", aid, "--format", "xlsx", "-o", str(report)).exit_code == 0
    wb = load_workbook(BytesIO(report.read_bytes()))
    header = [c.value for c in wb["Plan"][1]]
    wb["Plan"].cell(2, header.index("Owner") + 1, "OT engineering lead")
    wb.save(report)
    imported = run("plan", "import", aid, str(report))
    assert imported.exit_code == 0 and "1 action(s) changed, 0 added, 0 unchanged" in imported.output
    assert json.loads(run("plan", "list", aid, "--json").output)[0]["owner"] == "OT engineering lead"
