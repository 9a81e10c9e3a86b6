"""The machine-readable shapes of `catalog show --json` and `questionnaire show --json`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli import scorecard

ROOT = Path(__file__).resolve().parents[2]


def _json(*args: str) -> dict:
    result = CliRunner().invoke(scorecard, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_catalog_show_json_shape_for_shipped_frameworks(use_content) -> None:
    use_content(ROOT)
    csf = _json("catalog", "show", "nist-csf-2.0")
    assert set(csf) == {"id", "name", "version", "nodes"}
    assert (csf["id"], csf["version"]) == ("nist-csf-2.0", "2.0")
    assert all(set(n) == {"id", "kind", "parent", "title", "text"} for n in csf["nodes"])
    first_sub = next(n for n in csf["nodes"] if n["kind"] == "subcategory")
    assert first_sub == {
        "id": "GV.OC-01", "kind": "subcategory", "parent": "GV.OC", "title": "GV.OC-01",
        "text": "The organizational mission is understood and informs cybersecurity risk management",
    }
    cpg = _json("catalog", "show", "cisa-cpg-2.0")
    kinds = [n["kind"] for n in cpg["nodes"]]
    assert kinds.count("goal") == 34 and kinds.count("function") == 6
    assert {k: cpg["nodes"][0][k] for k in ("id", "kind", "parent")} == {"id": "GV", "kind": "function", "parent": None}


def test_questionnaire_show_json_shape(valid_root: Path, use_content) -> None:
    use_content(valid_root)
    data = _json("questionnaire", "show", "mini")
    assert set(data) == {"id", "version", "questions"}
    rec = data["questions"][2]
    assert rec == {
        "id": "REC-01", "section": "recovery", "text": "How often is controller logic restored from backup as a test?",
        "applies_to": ["OT"], "weight": 3, "consequence": 5, "csf": ["PR.DS-11"], "cpg": ["3.O"],
        "metrics": ["restore_test_pass_pct"],
        "levels": {"0": "Never", "1": "Once", "2": "Ad hoc", "3": "Yearly", "4": "Each change", "5": "Automated"},
    }


def test_tables_and_unknown_ids(valid_root: Path, use_content) -> None:
    use_content(valid_root)
    runner = CliRunner()
    shown = runner.invoke(scorecard, ["questionnaire", "show", "mini"])
    assert shown.exit_code == 0 and "REC-01" in shown.stdout and "PR.DS-11" in shown.stdout
    listed = runner.invoke(scorecard, ["catalog", "list"])
    assert listed.exit_code == 0 and "mini-cpg-to-mini-csf" in listed.stdout
    unknown = runner.invoke(scorecard, ["catalog", "show", "nist-csf-9"])
    assert unknown.exit_code == 1 and "unknown framework 'nist-csf-9'" in unknown.stderr
