"""The board deck, opened with python-pptx: its native charts hold exactly the JSON report's values.

Expected chart data is derived here from the JSON report document (render_json), independently of
the deck code, for the hand-written fixtures and for the demo enterprise and one plant. Charts must
be native (chart parts with an embedded workbook, no pictures); every slide has speaker notes with
the method and the sources; unapproved reports are marked on every slide.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from exports.context import ReportContext
from exports.deck import render_deck
from exports.plan_context import PlanPoint, PlanSection, TargetRow
from exports.report_json import render_json
from tests.exports import fixtures

STATUS_NAMES = {"implemented": "Implemented", "in_progress": "In progress", "not_implemented": "Not implemented",
                "not_assessed": "Not assessed"}
RATINGS = ("critical", "high", "medium", "low")
RAG = (("green", "● Green"), ("amber", "◐ Amber"), ("red", "○ Red"), ("missing", "– Missing"))


def charts_of(data: bytes) -> dict[str, tuple[list[str], dict[str, list]]]:
    """Every chart of the deck by name: (categories, {series name: values})."""
    out = {}
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                out[shape.name.removeprefix("chart:")] = (
                    [str(c) for c in plot.categories], {s.name: list(s.values) for s in plot.series})
    return out


def expected_charts(j: dict) -> dict[str, tuple[list[str], dict[str, list]]]:
    """The chart data the JSON report `j` calls for (an independent reading of docs/exports.md)."""
    envs, h = j["environments"], j["headline"]
    triples = [h["overall"], *(h["by_environment"].get(e) or {} for e in envs)]
    out = {"overall": (["Overall", *envs], {k.capitalize(): [t.get(k) for t in triples]
                                            for k in ("claimed", "verified", "target")})}
    if len(j["trend"]) >= 2:
        out["trend"] = ([t["label"] for t in j["trend"]],
                        {k.capitalize(): [t["overall"][k] for t in j["trend"]] for k in ("target", "claimed", "verified")})
    out["functions"] = (None, {**{f"{e} verified": [(f[e.lower()] or {}).get("verified") for f in j["functions"]]
                                  for e in envs},
                               "Target": [f["combined"]["target"] for f in j["functions"]]})
    sites = [s for s, _ in j["goals"][0]["sites"]] if j["goals"] else []
    columns = [[g[f"status_{e.lower()}"] or "not_assessed" for g in j["goals"]] for e in envs]
    columns += [[dict(g["sites"]).get(s) or "not_assessed" for g in j["goals"]] for s in sites]
    out["cpg"] = ([f"All sites {e}" if sites else e for e in envs] + sites,
                  {name: [col.count(state) for col in columns] for state, name in STATUS_NAMES.items()})
    out["metric-status"] = ([label for _, label in RAG],
                            {"Metrics": [sum(1 for m in j["metrics"] if m["status"] == s) for s, _ in RAG]})
    out["scenarios"] = ([s["name"] for s in j["scenarios"]], {e: [s[e.lower()] for s in j["scenarios"]] for e in envs})
    out["exceptions"] = (j["age_bands"], {r.capitalize(): [sum(1 for x in j["exceptions"]
                                                               if x["age_band"] == b and x["risk_rating"] == r)
                                                           for b in j["age_bands"]] for r in RATINGS})
    plan = j.get("plan")
    if plan and len(plan["points"]) >= 2:
        past = [t for t in j["trend"] if t["as_of"] < plan["today"]]
        points, future = plan["points"], len(plan["points"]) - 1
        target = (plan["headline"] or points[0])["target"]
        today = date.fromisoformat(plan["today"])
        out["path"] = ([t["label"] for t in past] + [f"{today.year} Q{(today.month - 1) // 3 + 1}"]
                       + [p["label"] for p in points[1:]],
                       {"Target": [target] * (len(past) + len(points)),
                        "Projected verified": [None] * len(past) + [p["verified"] for p in points],
                        "Verified": [t["overall"]["verified"] for t in past] + [points[0]["verified"]] + [None] * future})
    if j["meta"]["kind"] == "enterprise":
        out["sites"] = ([s["name"] for s in j["sites"]],
                        {k.capitalize(): [s["overall"][k] for s in j["sites"]] for k in ("claimed", "verified", "target")})
    return out


def assert_charts_match_json(ctx: ReportContext, data: bytes) -> None:
    j = json.loads(render_json(ctx))["report"]
    found, expected = charts_of(data), expected_charts(j)
    assert set(found) == set(expected)
    for name, (categories, series) in expected.items():
        got_categories, got_series = found[name]
        if categories is None:  # CSF functions: "GV Govern" — the id first, then the title
            assert [c.split(" ")[0] for c in got_categories] == [f["id"] for f in j["functions"]]
        else:
            assert got_categories == [str(c) for c in categories], name
        assert got_series == series, name


def test_fixture_decks_hold_the_context_values_in_native_charts():
    for kind, status in (("site", "draft"), ("enterprise", "in_review"), ("site", "final")):
        ctx = fixtures.context(kind, status)
        data = render_deck(ctx)
        assert_charts_match_json(ctx, data)
        deck = Presentation(io.BytesIO(data))
        assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
        assert len(deck.slides) == (9 if kind == "enterprise" else 8)
        for slide in deck.slides:
            assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
            notes = slide.notes_slide.notes_text_frame.text
            assert notes.startswith("Method: ") and "\nSources:\n- " in notes and "JSON report" in notes
            badge = [s.text_frame.text for s in slide.shapes if s.name == "draft-badge"]
            assert badge == ({"draft": ["DRAFT — not approved"], "in_review": ["IN REVIEW — not approved"]}
                             .get(status, []))


def test_chart_data_is_editable_in_the_embedded_workbook():
    """PowerPoint's "Edit Data" opens the workbook embedded with each chart: it holds the same values."""
    ctx = fixtures.context("site", "draft")
    deck = Presentation(io.BytesIO(render_deck(ctx)))
    frame = next(s for slide in deck.slides for s in slide.shapes if s.name == "chart:overall")
    book = load_workbook(io.BytesIO(frame.chart.part.chart_workbook.xlsx_part.blob))
    rows = list(book.active.iter_rows(values_only=True))
    h = ctx.headline
    assert rows[0][1:] == ("Claimed", "Verified", "Target")
    assert rows[1] == ("Overall", h.overall.claimed, h.overall.verified, h.overall.target)


def test_the_answer_and_hostile_user_text_are_plain_text():
    ctx = fixtures.context("site", "draft")
    finding = replace(ctx.findings[0], title="=cmd|' /C calc'!A0 \x07bell <script>x</script>")
    ctx = replace(ctx, decisions=(*ctx.decisions[:1], replace(ctx.decisions[0], title=finding.title)))
    deck = Presentation(io.BytesIO(render_deck(ctx)))
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    answer = next(t for slide in deck.slides for s in slide.shapes if s.name == "answer" for t in [s.text_frame.text])
    assert answer.startswith(f"{fixtures.SITE} is at 2.41 of 5 verified cyber resilience maturity against a target "
                             "of 3.50 (claimed 2.83)")
    assert any("=cmd|' /C calc'!A0 bell <script>x</script>" in t for t in texts)  # verbatim, control char dropped


def _plan(ctx: ReportContext) -> PlanSection:
    """A plan starting at the report's as-of date: today's verified score, then two quarters."""
    today = ctx.meta.as_of
    quarters = (date(2026, 12, 31), date(2027, 3, 31))
    points = (PlanPoint("today", today, 2.41, 3.5, 0), PlanPoint("2026 Q4", quarters[0], 2.9, 3.5, 2),
              PlanPoint("2027 Q1", quarters[1], 3.5, 3.5, 4))
    headline = TargetRow("Overall target", "overall", "", "", "", 3.5, 2.41, date(2027, 6, 30), quarters[1], "on_track")
    return PlanSection(today=today, ranking="per_cost", slip_days={}, points=points, targets=(headline,),
                       goal_changes=(), actions=(), headline=headline)


def test_path_to_target_slide_appears_only_with_a_plan():
    ctx = fixtures.context("site", "final")
    assert ctx.plan is None and "path" not in charts_of(render_deck(ctx))
    data = render_deck(replace(ctx, plan=_plan(ctx)))
    categories, series = charts_of(data)["path"]
    history = [row for row in ctx.trend if row.as_of < ctx.meta.as_of]
    today = f"{ctx.meta.as_of.year} Q{(ctx.meta.as_of.month - 1) // 3 + 1}"
    assert categories == [row.label for row in history] + [today, "2026 Q4", "2027 Q1"]
    assert series["Verified"] == [row.overall.verified for row in history] + [2.41, None, None]
    assert series["Projected verified"] == [None] * len(history) + [2.41, 2.9, 3.5]
    assert series["Target"] == [3.5] * len(categories)
    slides = Presentation(io.BytesIO(data)).slides
    path = next(slide for slide in slides if any(s.name == "chart:path" for s in slide.shapes))
    assert "reached in 2027 Q1" in " ".join(s.text_frame.text for s in path.shapes if s.has_text_frame)
    assert "Target 3.50, due 2027-06-30" in path.notes_slide.notes_text_frame.text
    projected = next(shape for shape in path.shapes if shape.name == "chart:path").chart.plots[0].series[1]
    hidden = [int(label.find(qn("c:idx")).get("val")) for label in projected._element.iter(qn("c:dLbl"))
              if label.find(qn("c:delete")) is not None]
    assert hidden == [len(history)]  # today's value is labelled once, by the verified line


@pytest.mark.slow
@pytest.mark.parametrize("subject", ["enterprise", "plant"])
def test_demo_decks_hold_the_json_report_values(demo_reports, subject):
    _, contexts = demo_reports
    ctx = contexts[subject]
    data = render_deck(ctx)
    assert_charts_match_json(ctx, data)
    with_path = ctx.plan is not None and len(ctx.plan.points) >= 2  # the demo's plans project a path
    assert with_path
    assert len(Presentation(io.BytesIO(data)).slides) == (9 if subject == "enterprise" else 8) + with_path


@pytest.mark.slow
def test_cli_writes_the_deck(demo_reports, tmp_path, monkeypatch):
    from cli import scorecard

    url, contexts = demo_reports
    monkeypatch.setenv("SCORECARD_DB_URL", url)
    out = tmp_path / "board.pptx"
    result = CliRunner().invoke(scorecard, ["report", "--enterprise", "--format", "pptx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_charts_match_json(contexts["enterprise"], out.read_bytes())
