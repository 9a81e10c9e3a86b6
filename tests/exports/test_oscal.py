"""The OSCAL exports validate against NIST's OSCAL 1.2.3 JSON schemas, cite the NIST CSF 2.0
catalog by the identifiers NIST's own catalog file gives, carry the report's figures, keep their
UUIDs across re-exports, and link every POA&M item to its assessment finding."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from errors import ScorecardError
from exports.oscal import render_assessment_results, render_poam
from exports.oscal.common import MARKUP_KEYS, goal_target_id
from services.content import get_catalog
from tests.exports import fixtures
from tests.exports.oscal_schema import errors

NIST_CATALOG = Path(__file__).resolve().parents[1] / "data" / "content" / "reference" / "nist-csf-2.0-oscal-catalog.json"
CATALOG = get_catalog()
FIXTURE_CATALOG = replace(CATALOG, questionnaires={**CATALOG.questionnaires, "fixture-qn": fixtures.questionnaire()})


def _documents(ctx, catalog=FIXTURE_CATALOG):
    ar = json.loads(render_assessment_results(ctx, catalog))
    return ar, json.loads(render_poam(ctx, catalog))


def _nist_controls() -> tuple[str, set[str]]:
    """The catalog's document uuid and the ids of its active controls, read from NIST's file."""
    catalog = json.loads(NIST_CATALOG.read_text(encoding="utf-8"))["catalog"]
    ids: set[str] = set()

    def walk(node):
        for control in node.get("controls", []):
            if not any(p.get("name") == "status" and p.get("value") == "withdrawn" for p in control.get("props", [])):
                ids.add(control["id"])
            walk(control)

    for group in catalog["groups"]:
        walk(group)
    return catalog["uuid"], ids


def _plain(markup: str) -> str:
    """Markup text with its backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", markup)


def _markup_texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in MARKUP_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _markup_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _markup_texts(value)


@pytest.mark.parametrize("kind,status", [("site", "draft"), ("enterprise", "in_review"), ("site", "final")])
def test_fixture_documents_validate_and_carry_the_figures(kind, status):
    ctx = fixtures.context(kind, status)
    ar, poam = _documents(ctx)
    assert errors(ar) == [] and errors(poam) == []
    result = ar["assessment-results"]["results"][0]
    assert result["start"] == "2026-09-30T00:00:00Z"
    props = {p["name"]: p["value"] for p in result["props"]}
    assert props["scope"] == "IT+OT" and props["verdict"] == ctx.verdict.level
    assert float(props["verified-maturity"]) == pytest.approx(ctx.headline.overall.verified, abs=5e-5)
    findings = {f["target"]["target-id"]: f for f in result["findings"]}
    for row in ctx.subcategories:
        finding = findings[row.id]
        values = {p["name"]: p["value"] for p in finding["props"]}
        assert float(values["verified-maturity"]) == pytest.approx(row.combined.verified, abs=5e-5)
        met = row.combined.verified >= row.combined.target
        assert finding["target"]["status"]["state"] == ("satisfied" if met else "not-satisfied")
    goal = findings[goal_target_id("2.0:3.F")]  # IT implemented, OT in progress
    assert goal["target"]["status"]["state"] == "not-satisfied"
    assert goal["target"]["implementation-status"] == {"state": "partial"}
    caps = [o for o in result["observations"] if o["title"].startswith("Evidence cap")]
    assert [_plain(c["description"]) for c in caps] == [fixtures.CAP.reason]
    cap_uuid = caps[0]["uuid"]
    # The cap on IAM-01 supports the findings of the subcategories and the goal IAM-01 maps to.
    for node in ("PR.AA-01", "PR.AA-05", goal_target_id("2.0:3.F")):
        assert {"observation-uuid": cap_uuid} in findings[node]["related-observations"]
    metrics = {_plain(o["title"]): o for o in result["observations"] if not o["title"].startswith("Evidence cap")}
    assert {m.label for m in ctx.metrics} == set(metrics)


def test_controls_are_the_nist_catalog_ids_and_the_catalog_is_cited_by_uuid_and_hash():
    ar, _ = _documents(fixtures.context())
    catalog_uuid, controls = _nist_controls()
    result = ar["assessment-results"]["results"][0]
    reviewed = [c["control-id"] for c in result["reviewed-controls"]["control-selections"][0]["include-controls"]]
    assert reviewed and set(reviewed) <= controls
    csf_targets = [f["target"]["target-id"] for f in result["findings"] if not f["title"].startswith("CPG")]
    assert set(csf_targets) <= controls
    resources = {r["uuid"]: r for r in ar["assessment-results"]["back-matter"]["resources"]}
    cited = resources[catalog_uuid]
    assert cited["rlinks"][0]["hashes"] == [{"algorithm": "SHA-256",
                                             "value": hashlib.sha256(NIST_CATALOG.read_bytes()).hexdigest()}]
    assert ar["assessment-results"]["import-ap"]["href"].lstrip("#") in resources


def test_uuids_are_stable_for_the_same_assessment_and_differ_for_another():
    ctx = fixtures.context()
    ctx = replace(ctx, meta=replace(ctx.meta, assessment_uid="4a1b2c3d-0000-4000-8000-000000000001"))
    first, again = render_assessment_results(ctx, FIXTURE_CATALOG), render_assessment_results(ctx, FIXTURE_CATALOG)
    assert first == again
    other = replace(ctx, meta=replace(ctx.meta, assessment_uid="4a1b2c3d-0000-4000-8000-000000000002"))
    uuids = set(re.findall(r'"uuid": "([0-9a-f-]{36})"', first.decode()))
    other_uuids = set(re.findall(r'"uuid": "([0-9a-f-]{36})"', render_assessment_results(other, FIXTURE_CATALOG).decode()))
    catalog_uuid, _ = _nist_controls()
    assert uuids & other_uuids == {catalog_uuid}  # only the cited catalog is the same document


def test_poam_items_are_the_open_actions_each_linked_to_its_finding():
    ctx = fixtures.context()
    ar, poam = _documents(ctx)
    doc = poam["plan-of-action-and-milestones"]
    open_actions = [f for f in ctx.findings if f.status in ("open", "in_progress")]
    assert [_plain(i["title"]) for i in doc["poam-items"]] == [f.title.strip() for f in open_actions]
    ar_findings = {f["uuid"]: f for f in ar["assessment-results"]["results"][0]["findings"]}
    poam_findings = {f["uuid"]: f for f in doc["findings"]}
    risks = {r["uuid"]: r for r in doc["risks"]}
    for item, action in zip(doc["poam-items"], open_actions, strict=True):
        linked = [r["finding-uuid"] for r in item["related-findings"]]
        assert linked and all(u in poam_findings and u in ar_findings for u in linked)
        assert {ar_findings[u]["target"]["target-id"] for u in linked} >= {"PR.AA-01", "PR.AA-05"} \
            if action.question_id == "IAM-01" else True
        risk = risks[item["related-risks"][0]["risk-uuid"]]
        assert risk["status"] == {"open": "open", "in_progress": "remediating"}[action.status]
        assert risk.get("deadline") == (f"{action.due.isoformat()}T00:00:00Z" if action.due else None)


def test_markup_fields_escape_user_text():
    ar, poam = _documents(fixtures.context())
    texts = [*_markup_texts(ar), *_markup_texts(poam)]
    assert any("Lyon \\<b\\>Pressing\\</b\\>" in t for t in texts)
    assert not [t for t in texts if re.search(r"(?<!\\)[<>]", t)]


def test_no_open_action_is_a_clear_error():
    ctx = fixtures.context()
    done = replace(ctx, findings=tuple(replace(f, status="done") for f in ctx.findings))
    with pytest.raises(ScorecardError, match="no open action"):
        render_poam(done, FIXTURE_CATALOG)


@pytest.mark.slow
@pytest.mark.parametrize("subject", ["enterprise", "plant"])
def test_demo_documents_validate(demo_reports, subject):
    _, contexts = demo_reports
    ctx = contexts[subject]
    ar, poam = _documents(ctx, CATALOG)
    assert errors(ar) == [] and errors(poam) == []
    result = ar["assessment-results"]["results"][0]
    _, controls = _nist_controls()
    reviewed = {c["control-id"] for c in result["reviewed-controls"]["control-selections"][0]["include-controls"]}
    assert reviewed == {r.id for r in ctx.subcategories if r.combined.verified is not None} and reviewed <= controls
    assert len([o for o in result["observations"] if o["title"].startswith("Evidence cap")]) == len(ctx.caps)
    items = poam["plan-of-action-and-milestones"]["poam-items"]
    assert len(items) == len([f for f in ctx.findings if f.status in ("open", "in_progress")])
    assert sum(1 for i in items if "related-findings" in i) > len(items) // 2


@pytest.mark.slow
def test_cli_writes_both_documents(demo_reports, tmp_path, monkeypatch):
    from cli import scorecard

    url, _ = demo_reports
    monkeypatch.setenv("SCORECARD_DB_URL", url)
    for fmt, root in (("oscal-ar", "assessment-results"), ("oscal-poam", "plan-of-action-and-milestones")):
        out = tmp_path / f"{fmt}.json"
        result = CliRunner().invoke(scorecard, ["report", "--site", "Lakeside Components", "--format", fmt,
                                                "-o", str(out)])
        assert result.exit_code == 0, result.output
        document = json.loads(out.read_text(encoding="utf-8"))
        assert list(document) == [root] and errors(document) == []
