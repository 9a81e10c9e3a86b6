"""`scorecard score` end to end: real files in, JSON or a summary out, clean errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import scorecard
from scoring.model import Scorecard
from tests.scoring.conftest import CONTENT, DATA, answer, metric_set, run

WORKED = str(DATA / "worked-example.csv")


@pytest.fixture()
def invoke(monkeypatch):
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))

    def _invoke(*args: str):
        return CliRunner().invoke(scorecard, ["score", *args])

    return _invoke


def test_json_output_has_the_shape_of_the_issue(invoke):
    result = invoke("--questionnaire", "mini", "--responses", WORKED, "--scope", "IT+OT", "--as-of", "2026-11-01", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"overall", "functions", "categories", "subcategories", "cpg", "by_environment", "gaps", "scenarios", "caps"} <= set(data)
    # No evidence given: nothing capped, nothing verified, claims stand.
    assert data["overall"] == {
        "claimed": 3.08, "verified": 3.08, "target": 4.08, "completion": 0.86, "confidence": 0.0,
        "answered": 5, "not_applicable": 1, "applicable": 7,
    }
    assert data["functions"]["GV"]["by_environment"]["IT"] == {"claimed": 3.33, "verified": 3.33, "target": 3.33}
    assert data["subcategories"]["GV.RM-02"]["claimed"] is None
    assert data["cpg"]["goals"] == {
        "1.A": {"IT": "implemented", "OT": "implemented"},
        "2.B": {"IT": "implemented", "OT": "in_progress"},
        "3.C": {"IT": "not_assessed", "OT": "not_assessed"},
    }
    assert data["cpg"]["implemented_pct"] == 75.0
    assert set(data["by_environment"]) == {"IT", "OT"}
    assert data["by_environment"]["OT"]["completion"] == 0.75
    assert [(g["question_id"], g["environment"], g["priority"]) for g in data["gaps"]] == [
        ("ACC-01", "OT", 30.0), ("ACC-01", "IT", 15.0), ("GOV-01", "OT", 6.0),
    ]
    assert data["caps"] == []
    assert data["scenarios"]["ransomware"]["readiness"] == 3.25
    assert data["scenarios"]["ransomware"]["metrics"] == {
        "critical_asset_documentation_pct": "missing", "restore_success_pct": "missing",
    }


def test_summary_output(invoke):
    result = invoke("--questionnaire", "mini", "--responses", WORKED, "--scope", "it+ot", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.stderr
    assert "Overall  claimed 3.08  verified 3.08  target 4.08  completion 86%" in result.stdout
    assert "30.0  ACC-01 OT: 2 → 4" in result.stdout


def test_a_bad_file_lists_every_problem_and_scores_nothing(invoke):
    result = invoke("--questionnaire", "mini", "--responses", str(DATA / "bad-responses.csv"), "--scope", "IT+OT", "--as-of", "2026-11-01", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "bad-responses.csv: 8 problem(s); nothing was scored" in result.stderr
    assert "row 4, column 'current': '7' is not a maturity level" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "plant"], "'plant' is not a scope"),
        (["--as-of", "01/11/2026"], "'01/11/2026' is not a date"),
        (["--questionnaire", "nope"], "unknown questionnaire 'nope'"),
        (["--scope", "OT"], "is not in the assessment's scope OT"),
        (["--evidence", "inventory.csv"], "'inventory.csv' is not DATASET=FILE"),
    ],
)
def test_bad_options_exit_1_with_a_message(invoke, args, message):
    base = {"--questionnaire": "mini", "--responses": WORKED, "--scope": "IT+OT", "--as-of": "2026-11-01"}
    extra = []
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in base:
            base[flag] = value
        else:
            extra += [flag, value]
    result = invoke(*[x for kv in base.items() for x in kv], *extra)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_scorecard_survives_a_json_round_trip(catalog):
    card = run(catalog, [answer("GOV-01", "IT", 5), answer("ACC-01", "OT", "NA")], metric_set(critical_asset_documentation_pct=60))
    again = Scorecard.model_validate(json.loads(json.dumps(card.model_dump(mode="json"))))
    assert again == card


def _check_worked_example_with_evidence(result):
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # The inventory gives critical_asset_documentation_pct IT 7/9 = 77.78, OT 8/11 = 72.73,
    # overall 15/20 = 75: the worked example's cap and numbers follow.
    assert [(c["question_id"], c["environment"], c["value"], c["threshold"], c["verified"]) for c in data["caps"]] == [
        ("GOV-01", "IT", 77.78, "≥ 70 → up to 3", 3)
    ]
    assert (data["overall"]["claimed"], data["overall"]["verified"], data["overall"]["confidence"]) == (3.08, 3.0, 0.4)
    assert data["scenarios"]["ransomware"]["metrics"]["critical_asset_documentation_pct"] == "red"
    assert data["gaps"][2]["cap_reasons"] == [data["caps"][0]["reason"]]


def test_evidence_files_cap_the_claims(invoke):
    inventory = str(DATA / "worked-example-inventory.csv")
    result = invoke("--questionnaire", "mini", "--responses", WORKED, "--scope", "IT+OT", "--as-of", "2026-11-01",
                    "--evidence", f"asset_inventory={inventory}", "--json")
    _check_worked_example_with_evidence(result)


def test_an_evidence_folder_caps_the_claims(invoke, tmp_path):
    (tmp_path / "asset_inventory.csv").write_bytes((DATA / "worked-example-inventory.csv").read_bytes())
    result = invoke("--questionnaire", "mini", "--responses", WORKED, "--scope", "IT+OT", "--as-of", "2026-11-01",
                    "--evidence-dir", str(tmp_path), "--json")
    _check_worked_example_with_evidence(result)


def test_bad_evidence_scores_nothing(invoke, tmp_path):
    broken = tmp_path / "inventory.csv"
    broken.write_text("asset_id,criticality\nA-1,Hgh\n", encoding="utf-8")
    result = invoke("--questionnaire", "mini", "--responses", WORKED, "--scope", "IT+OT", "--as-of", "2026-11-01",
                    "--evidence", f"asset_inventory={broken}", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Hgh" in result.stderr and "Traceback" not in result.stderr
