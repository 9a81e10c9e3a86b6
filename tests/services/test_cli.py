"""The storage CLI end to end (click runner, real database on both backends): sites, assessments,
responses and evidence import, finalise, and every write path refused once final."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

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


def test_cli_lifecycle_and_final_refuses_every_write(run, tmp_path) -> None:
    assert run("site", "add", "Plant North", "--country", "DE", "--criticality", "high").exit_code == 0
    bad = run("site", "add", "Plant West", "--country", "DE", "--criticality", "urgent")
    assert bad.exit_code == 1 and "'urgent' is not a criticality" in bad.output
    sites = json.loads(run("site", "list", "--json").output)
    assert [s["name"] for s in sites] == ["Plant North"]
    created = run("assessment", "create", "--site", "Plant North", "--scope", "IT+OT", "--as-of", "2026-03-31")
    assessment_id = created.output.strip()
    listing = json.loads(run("assessment", "list", "--json").output)
    assert {k: listing[0][k] for k in ("id", "site", "scope", "as_of", "status")} == {
        "id": int(assessment_id), "site": "Plant North", "scope": "IT+OT", "as_of": "2026-03-31", "status": "draft"}

    responses = tmp_path / "answers.csv"
    responses.write_text("question_id,environment,current,notes\nGOV-01,IT,3,ok\nACC-01,OT,2,\n", encoding="utf-8")
    assert run("responses", "import", assessment_id, str(responses)).exit_code == 0
    exercises = tmp_path / "exercises.csv"
    exercises.write_text("exercise_id,date,exercise_type,detect_minutes\nX1,2026-02-01,tabletop,30\n", encoding="utf-8")
    imported = run("evidence", "import", assessment_id, "exercises", str(exercises))
    assert imported.exit_code == 0 and "imported 1 row(s) of exercises" in imported.output
    shown = json.loads(run("assessment", "show", assessment_id, "--json").output)
    assert shown["scorecard"]["overall"]["answered"] == 2 and shown["evidence"][0]["dataset"] == "exercises"

    refused = run("assessment", "finalize", assessment_id)  # a draft with 2 of its 7 answers
    assert refused.exit_code == 1 and "not in review" in refused.output and "--override" not in refused.output
    assert "2 of 7 answers confirmed (5 unanswered)" in refused.output and "Traceback" not in refused.output
    assert run("assessment", "submit", assessment_id).exit_code == 0
    assert run("assessment", "finalize", assessment_id, "--override-reason", "pilot quarter: two answers only").exit_code == 0
    assert "pilot quarter: two answers only" in json.loads(run("assessment", "show", assessment_id, "--json").output)[
        "final_override"]
    for args in (("responses", "import", assessment_id, str(responses)),
                 ("evidence", "import", assessment_id, "exercises", str(exercises)),
                 ("assessment", "finalize", assessment_id),
                 ("assessment", "submit", assessment_id)):
        refused = run(*args)
        assert refused.exit_code == 1 and "final" in refused.output, args
        assert "Traceback" not in refused.output

    trend = json.loads(run("trend", "--site", "Plant North", "--json").output)
    assert [p["as_of"] for p in trend["series"]] == ["2026-03-31"]
    bundle = tmp_path / "a.zip"
    assert run("bundle", "export", assessment_id, "-o", str(bundle)).exit_code == 0
    duplicate = run("bundle", "import", str(bundle))
    assert duplicate.exit_code == 1 and "already in the database" in duplicate.output
    assert run("assessment", "reopen", assessment_id, "--reason", "wrong plant").exit_code == 0
    audit = run("audit", "--assessment", assessment_id, "--json")
    actions = [e["action"] for e in json.loads(audit.output)]
    assert actions[0] == "create" and actions[-1] == "reopen" and "import" in actions


def test_db_status_and_upgrade(run) -> None:
    status = json.loads(run("db", "status", "--json").output)
    assert status["current"] == status["head"]
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0 and "already at revision" in upgraded.output
