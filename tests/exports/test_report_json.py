"""The JSON report: the ReportContext as a versioned document that validates against its committed,
generated schema, with every figure unrounded and its unit stated."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from exports.report_json import FORMAT, UNITS, VERSION, render_json, schema_text
from tests.exports import fixtures

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema" / "report.schema.json"


def test_committed_schema_is_the_one_the_code_generates(tmp_path):
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), "run: scorecard docs report-schema"
    from cli import scorecard

    runner = CliRunner()
    out = tmp_path / "report.schema.json"
    assert runner.invoke(scorecard, ["docs", "report-schema", "-o", str(out)]).exit_code == 0
    assert runner.invoke(scorecard, ["docs", "report-schema", "-o", str(out), "--check"]).exit_code == 0
    out.write_text("{}", encoding="utf-8")
    stale = runner.invoke(scorecard, ["docs", "report-schema", "-o", str(out), "--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output


@pytest.mark.parametrize(("kind", "status"), [("site", "draft"), ("enterprise", "in_review")])
def test_documents_validate_against_the_schema_and_keep_every_figure(kind, status):
    ctx = fixtures.context(kind, status)
    document = json.loads(render_json(ctx))
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert (document["format"], document["version"], document["units"]) == (FORMAT, VERSION, UNITS)
    report = document["report"]
    assert report["headline"]["overall"]["verified"] == ctx.headline.overall.verified  # unrounded
    assert report["meta"]["as_of"] == "2026-09-30"
    metric = next(m for m in report["metrics"] if m["name"] == "governed_access_pct")
    assert (metric["value"], metric["unit"], metric["display"], metric["combine"]) == (72.5, "pct", "72.5 %", "ratio")
    assert report["verdict"]["level"] == ctx.verdict.level
    missing = next(m for m in report["metrics"] if m["name"] == "restore_success_pct")
    assert (missing["status"], missing["missing_reason"]) == ("missing", "no restore_tests evidence: import the restore tests file")
    assert metric["missing_reason"] is None and VERSION == "1.3.0"
    assert [e["age_days"] for e in report["exceptions"]] == [e.age_days for e in ctx.exceptions]
    assert len(report["sites"]) == len(ctx.sites) and len(report["responses"]) == len(ctx.responses)


def test_a_document_with_a_missing_section_does_not_validate():
    document = json.loads(render_json(fixtures.context()))
    del document["report"]["metrics"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
