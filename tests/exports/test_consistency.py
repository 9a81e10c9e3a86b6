"""Self-consistency of the reports of the demo organisation: every figure shown in more than one
place — the PDF's sections, the workbook's sheets, the JSON report and the dashboard's data — is
the same value, and the enterprise metrics equal a computation done here, independently of the
product's evidence code, from the member sites' stored rows.

One enterprise report and one site report are rendered (PDF, XLSX, JSON) once for the module,
from the demo loaded once per session (`demo_reports`, tests/exports/conftest.py). Each PDF section is located through the PDF's outline, and the figures the JSON
report holds are looked for in that section's text, formatted as the product formats them.
"""

from __future__ import annotations

import io
import json
import re
import statistics
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from evidence.columnar import parts_to_frame
from evidence.json_rows import frame_to_rows
from evidence.schemas import get_schema
from exports import formatting as fmt
from exports.pdf import render_pdf, report_figures
from exports.report_json import render_json
from exports.xlsx import render_workbook
from services import dashboard
from services import trend_series as trends
from services.access import Actor
from services.assessments import list_assessments
from services.context import Context, get_catalog
from services.report_records import ENTERPRISE_NAME
from storage import evidence_imports as evidence_store
from storage.engine import Database
from tests.pdf_text import page_texts

ADMIN = Actor(user="ada", role="admin", all_sites=True)
SITE = "Lakeside Components"
CATALOG = get_catalog()


@pytest.fixture(scope="module")
def demo_db(demo_reports):
    """The demo organisation of `demo_reports` (a twentieth of its rows, built once per session) as
    a services context with the shipped content; these tests only read it."""
    db = Database(demo_reports[0])
    yield Context(db, CATALOG)
    db.dispose()


class Rendered:
    """One report in every form: context, JSON, PDF text by section, workbook, dashboard data."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.json = json.loads(render_json(ctx))["report"]
        pdf = render_pdf(ctx)
        reader = PdfReader(io.BytesIO(pdf))
        pages = [_flat(page) for page in page_texts(pdf)]
        starts = [(item.title, reader.get_destination_page_number(item)) for item in _outline(reader.outline)]
        self.sections = {"Cover": pages[0]}
        for index, (title, first) in enumerate(starts):
            last = starts[index + 1][1] if index + 1 < len(starts) else len(pages) - 1
            self.sections[title] = " ".join(pages[first:last + 1])
        self.book = load_workbook(io.BytesIO(render_workbook(ctx)))
        self.figures = report_figures(ctx)

    def sheet(self, name: str) -> list[dict]:
        rows = list(self.book[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    def metric(self, name: str) -> dict:
        return next(m for m in self.json["metrics"] if m["name"] == name)


def _outline(items):
    for item in items:
        yield from _outline(item) if isinstance(item, list) else (item,)


def _flat(text: str) -> str:
    """Whitespace collapsed, words a line break split at a hyphen or slash joined again."""
    return re.sub(r"(?<=[-/]) (?=[a-zA-Z])", "", re.sub(r"\s+", " ", text))


def same(value):
    """Equal to the digit Excel keeps (15 significant digits); None stays None."""
    if isinstance(value, list):
        return [same(v) for v in value]
    return None if value is None else pytest.approx(value, rel=1e-13, abs=1e-13)


def _in_order(text: str, *parts: str, gap: int = 250) -> bool:
    """`parts` appear in `text` in this order, each within `gap` characters of the previous."""
    pattern = f".{{0,{gap}}}?".join(re.escape(p) for p in parts)
    return re.search(pattern, text) is not None


@pytest.fixture(scope="module")
def enterprise(demo_reports):
    return Rendered(demo_reports[1]["enterprise"])


@pytest.fixture(scope="module")
def site(demo_reports):
    return Rendered(demo_reports[1]["plant"])


@pytest.fixture(params=["enterprise", "site"])
def report(request, demo_reports) -> Rendered:  # named for the unit check of tests/scheduling.py
    return request.getfixturevalue(request.param)


# --- The same figure wherever it is shown -------------------------------------------------------------


def test_cover_and_verdict(report):
    j, cover = report.json, report.sections["Cover"]
    verdict = j["verdict"]
    words = verdict["headline"] + (": " + "; ".join(verdict["reasons"]) if verdict["reasons"] else "")
    assert f"Reliability {words}." in cover and f"As of {j['meta']['as_of']}" in cover
    assert dashboard.verdict(report.ctx).headline == verdict["headline"]
    summary = {row[0]: row[1] for row in report.book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Reliability"] == "; ".join((verdict["headline"], *verdict["reasons"]))
    assert summary["As of"].date() == date.fromisoformat(j["meta"]["as_of"])


def test_summary_tiles_and_lists(report):
    h, text = report.json["headline"], report.sections["Executive summary"]
    for shown in (fmt.score(h["overall"]["verified"]), f"target {fmt.score(h['overall']['target'])}",
                  fmt.percent(h["cpg_implemented_pct"]), fmt.share(h["completion"]), fmt.share(h["confidence"]),
                  f"{h['answered']} answered, {h['not_applicable']} N/A of {h['applicable']}"):
        assert shown in text, shown
    if h["delta_verified"] is not None:
        assert fmt.delta(h["delta_verified"]) in text
    summary = {row[0]: row[1] for row in report.book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Verified maturity"] == same(h["overall"]["verified"]) and summary["Completion"] == same(h["completion"])
    assert summary["CPG goals implemented (%)"] == same(h["cpg_implemented_pct"])
    for item in (*report.json["improvements"], *report.json["risks"], *report.json["decisions"]):
        assert _in_order(text, *item["title"].split(" ")[:6]), item["title"]
        assert summary[item["title"]] == item["detail"]
    for name in ("trend", "path"):  # the dashboard's trend and the summary's path to target end at today
        verified = next(t for t in report.figures[name].data if t.name == "Verified")
        assert verified.y[-1] == pytest.approx(h["overall"]["verified"])


def test_the_oldest_exception_is_one_figure(report):
    """The decision's "oldest has been open N days", the top of the exception table and the metric."""
    high = [e for e in report.json["exceptions"] if e["high_risk"]]
    oldest = max(e["age_days"] for e in high)
    metric = report.metric("high_risk_exception_age_max_days")
    assert metric["value"] == oldest and metric["display"] == fmt.metric_value(oldest, "days")
    assert f"{metric['label']} {metric['display']}" in report.sections["Resilience metrics"]
    aged = [d for d in report.json["decisions"] if d["title"].startswith("Re-accept or retire")]
    if oldest > 90:
        assert aged and f"The oldest has been open {fmt.days(oldest)}" in aged[0]["detail"]
    top = high[0]
    assert _in_order(report.sections["Exceptions ageing"], top["exception_id"], top["opened"], str(top["age_days"]))
    assert max(r["Age (days)"] for r in report.sheet("Exceptions") if r["High risk"] == "yes") == oldest


def test_csf_tables(report):
    envs = report.json["environments"]

    def numbers(row, combined=True):
        out = []
        for env in envs:
            t = row["it"] if env == "IT" else row["ot"]
            out += [fmt.score(t[k]) if t else "—" for k in ("claimed", "verified", "target")]
        if combined and len(envs) > 1:
            out += [fmt.score(row["combined"][k]) for k in ("claimed", "verified", "target")]
        return " ".join(out)

    for section, key, sheet in (("CSF 2.0 functions and categories", "functions", "Functions"),
                                ("Categories", "categories", "Categories"),
                                ("E. Full subcategory table", "subcategories", "Subcategories")):
        text = report.sections[section]
        rows = report.json[key]
        for row in rows:
            assert _in_order(text, f"{row['id']} ", numbers(row, combined=key != "subcategories")), (key, row["id"])
        book = {r["ID"]: r for r in report.sheet(sheet)}
        assert [book[r["id"]]["Combined verified"] for r in rows] == same([r["combined"]["verified"] for r in rows])


def test_cpg_goals(report):
    j, text = report.json, report.sections["CISA CPG 2.0 goals"]
    assert f"{fmt.percent(j['headline']['cpg_implemented_pct'])} of assessed goals implemented" in text
    for env in j["environments"]:
        assert f"{env} {fmt.percent(j['headline']['cpg_by_environment'][env])}" in text
    book = {r["Goal"]: r for r in report.sheet("CPG goals")}
    for goal in j["goals"]:
        for env in j["environments"]:
            assert book[goal["id"]][f"{env} status"] == fmt.status(goal[f"status_{env.lower()}"])
    cells = set(report.figures["cpg"].data[0].text)  # the heat map's hover label of every cell
    for goal in j["goals"]:
        for env in j["environments"]:
            assert f"{goal['id']} · {env}: {fmt.status(goal[f'status_{env.lower()}'] or 'not_assessed')}" in cells


def test_metric_table_tiles_and_workbook(report):
    text, book = report.sections["Resilience metrics"], {r["Metric"]: r for r in report.sheet("Metrics")}
    tiles = {t.name: t for t in dashboard.tiles(report.ctx)}
    for m in report.json["metrics"]:
        assert m["display"] == fmt.metric_value(m["value"], m["unit"])
        assert _in_order(text, m["label"], m["display"], fmt.rag(m["status"]), gap=5), m["name"]
        assert tiles[m["name"]].value == m["display"] and tiles[m["name"]].status == m["status"]
        row = book[m["name"]]
        assert (row["Shown as"], row["Status"], row["Combines"]) == (m["display"], fmt.status(m["status"]), m["combine"])
        assert row["Value"] == (None if m["value"] is None else same(m["value"]))


def test_scenarios_show_the_metric_table_statuses(report):
    text = report.sections["Scenario readiness"]
    status = {m["label"]: m["status"] for m in report.json["metrics"]}
    for s in report.json["scenarios"]:
        assert _in_order(text, s["name"], fmt.score(s["readiness"]), f"{s['questions']} {s['answered']}")
        for label, shown in s["metrics"]:
            assert status.get(label, "missing") == shown, (s["id"], label)
            assert f"{label}: {fmt.rag(shown)}" in text


def test_roadmap_due_dates_read_against_the_as_of_date(report):
    text, book = report.sections["Roadmap: top gaps"], report.sheet("Gaps & roadmap")
    gaps = dashboard.gap_table(report.ctx, limit=15)
    for item, row, gap in zip(report.json["roadmap"][:15], book, gaps, strict=False):
        due = fmt.due(date.fromisoformat(item["due"]) if item["due"] else None, item["overdue_days"])
        assert _in_order(text, f"{item['question_id']} ", f"{item['environment']} {item['verified']} → {item['target']}",
                         gap=1500), item["question_id"]
        assert _in_order(text, item["owner"] or "unassigned", due, gap=5), item["question_id"]
        shown = (f"⚠ {fmt.days(item['overdue_days'])} overdue" if item["overdue_days"] else item["due"]) \
            if item["due"] else "no date"
        assert row["Overdue (days)"] == item["overdue_days"] and gap["Due"] == shown
        if item["due"] and item["overdue_days"] is None:
            assert item["due"] >= report.json["meta"]["as_of"]


def test_exceptions_table_chart_and_metrics(report):
    j, text = report.json, report.sections["Exceptions ageing"]
    rows = j["exceptions"]
    assert all(e["age_days"] >= 0 and e["age_days"] == (date.fromisoformat(e["as_of"]) - date.fromisoformat(e["opened"])).days
               for e in rows)
    high = [e for e in rows if e["high_risk"]]
    for e in high[:25]:
        assert _in_order(text, e["exception_id"], e["opened"], str(e["age_days"])), e["exception_id"]
    assert [(r["Exception"], r["Age (days)"]) for r in report.sheet("Exceptions")] == [
        (e["exception_id"], e["age_days"]) for e in rows]
    chart = report.figures["exceptions"]
    totals = {a.x: int(re.sub(r"\D", "", a.text)) for a in chart.layout.annotations}
    assert totals == {b: n for b in j["age_bands"] if (n := sum(e["age_band"] == b for e in rows))}
    assert report.metric("open_high_risk_exceptions")["value"] == len(high)
    assert report.metric("high_risk_exceptions_over_90_days")["value"] == sum(e["age_days"] > 90 for e in high)
    assert report.metric("exceptions_overdue_review")["value"] == sum(e["overdue_review"] for e in rows)
    ages = sorted(e["age_days"] for e in high)
    assert report.metric("high_risk_exception_age_median_days")["value"] == (statistics.median(ages) if ages else None)


def test_exercises_table_chart_and_metrics(report):
    j, text = report.json, report.sections["Exercise performance"]
    rows = j["exercises"]
    assert report.metric("exercises_last_12_months")["value"] == len(rows)
    for x in rows[-12:]:
        assert _in_order(text, x["date"], x["exercise_id"], fmt.minutes(x["detect_minutes"]))
    assert [r["Exercise"] for r in report.sheet("Exercises")] == [x["exercise_id"] for x in rows]
    medians = next(t for t in report.figures["exercises"].data if t.name == "Median of exercises")
    for phase, value in zip(medians.y, medians.x, strict=True):
        metric = report.metric(f"exercise_{phase.lower()}_minutes_median")
        assert value == pytest.approx(metric["value"]), phase
        assert any(label.startswith(metric["display"]) for label in medians.text)


def test_sites_compared(enterprise):
    text, book = enterprise.sections["Site comparison"], {r["Site"]: r for r in enterprise.sheet("Sites")}
    for s in enterprise.json["sites"]:
        shown = [fmt.score(s["overall"]["verified"]), fmt.delta(s["delta_verified"]), fmt.score(s["overall"]["target"]),
                 fmt.percent(s["cpg_implemented_pct"]), fmt.share(s["completion"]), fmt.share(s["confidence"])]
        assert _in_order(text, s["status"].replace("_", " ").capitalize(), " ".join(shown)), s["name"]
        assert book[s["name"]]["Verified"] == same(s["overall"]["verified"])
    bars = next(t for t in enterprise.figures["sites"].data if t.name == "Verified")
    assert sorted(bars.x) == pytest.approx(sorted(s["overall"]["verified"] for s in enterprise.json["sites"]))


def test_appendix_figures(report):
    j = report.json
    h = j["headline"]
    text = report.sections["B. Confidence and completion"]
    assert f"Completion {fmt.share(h['completion'])}: {h['answered']} answered" in text
    assert f"Confidence {fmt.share(h['confidence'])}" in text
    for env, t in h["by_environment"].items():
        assert f"{env} {fmt.score(t['claimed'])} {fmt.score(t['verified'])} {fmt.score(t['target'])}" in text
    caps = report.sections["C. Every cap applied"]
    for cap in j["caps"][:40]:
        label = j["metric_labels"][cap["metric"]]
        assert _in_order(caps, cap["question_id"], cap["environment"], label.split()[0], f"{cap['value']:.1f}")
        assert cap["metric"] not in caps  # metric titles, never internal ids
    notes = [line for g in j["note_groups"] for line in g["lines"] if line["na_reason"]]
    d_title = next(t for t in report.sections if t.startswith("D. "))
    assert report.sections[d_title].count("N/A: ") == len(notes)
    if j["meta"]["basis"]:
        assert j["meta"]["basis"] in report.sections["A. Methodology in plain words"]


def test_plan_section_sheets_and_summary(report):
    """The plan: the summary's verdict, the PDF's plan section, the Plan and Path to target sheets,
    the JSON report and the path chart show the same targets, points, actions and values."""
    plan, text = report.json["plan"], report.sections["Plan: the path to target"]
    headline = plan["headline"]
    assert headline is not None and report.json["headline"]["target_due"] == headline["due"]
    assert _in_order(report.sections["Executive summary"], f"target {fmt.score(headline['target'])} due {headline['due']}",
                     "Path to target:", fmt.status(headline["status"]), gap=2000)
    for t in plan["targets"]:
        reached = fmt.day(date.fromisoformat(t["reached_on"]) if t["reached_on"] else None)
        assert _in_order(text, t["label"], fmt.score(t["target"]), fmt.score(t["today"]), t["due"], reached,
                         fmt.status(t["status"]), gap=60), t["label"]
    valued = [a for a in plan["actions"] if a["rank"] is not None]
    assert [a["rank"] for a in valued] == list(range(1, len(valued) + 1))
    for a in valued[:15]:
        assert _in_order(text, f"{a['rank']} ", a["title"][:30], fmt.gain(a["gain"]), fmt.money(a["cost"]),
                         fmt.per_100k(a["gain_per_100k"]), gap=1500), a["id"]
    sheet = {str(r["ID"]): r for r in report.sheet("Plan")}
    assert list(sheet) == [a["id"] for a in plan["actions"]]
    for a in plan["actions"]:
        row = sheet[a["id"]]
        assert (row["Rank"], row["Adds (verified)"], row["Cost"]) == (a["rank"], same(a["gain"]), same(a["cost"]))
        assert row["Projection"] == fmt.status(a["state"])
    points = list(report.book["Path to target"].iter_rows(min_row=2, max_row=1 + len(plan["points"]), values_only=True))
    assert [(r[0], r[3]) for r in points] == [(p["label"], same(p["verified"])) for p in plan["points"]]
    projected = next(t for t in report.figures["path"].data if t.name == "Projected (plan)")
    assert list(projected.y) == same([p["verified"] for p in plan["points"]])
    verified = next(t for t in report.figures["path"].data if t.name == "Verified")
    assert verified.y[-1] == pytest.approx(plan["points"][0]["verified"])


CHECKED = {"Cover": test_cover_and_verdict, "Executive summary": test_summary_tiles_and_lists,
           "CSF 2.0 functions and categories": test_csf_tables, "Categories": test_csf_tables,
           "CISA CPG 2.0 goals": test_cpg_goals, "Resilience metrics": test_metric_table_tiles_and_workbook,
           "Scenario readiness": test_scenarios_show_the_metric_table_statuses,
           "Roadmap: top gaps": test_roadmap_due_dates_read_against_the_as_of_date,
           "Exceptions ageing": test_exceptions_table_chart_and_metrics,
           "Exercise performance": test_exercises_table_chart_and_metrics, "Site comparison": test_sites_compared,
           "Appendix": test_appendix_figures, "A. Methodology in plain words": test_appendix_figures,
           "B. Confidence and completion": test_appendix_figures, "C. Every cap applied": test_appendix_figures,
           "D. N/A reasons": test_appendix_figures, "D. Assessor notes and N/A reasons": test_appendix_figures,
           "E. Full subcategory table": test_csf_tables, "Plan: the path to target": test_plan_section_sheets_and_summary}


def test_every_section_of_the_pdf_is_checked(report):
    assert set(report.sections) <= set(CHECKED)


def test_trend_sheet_and_history(report):
    rows = report.sheet("Trend")
    assert [r["Verified"] for r in rows] == same([t["overall"]["verified"] for t in report.json["trend"]])
    assert report.json["trend"][-1]["overall"]["verified"] == report.json["headline"]["overall"]["verified"]


# --- Enterprise figures from the members' rows, computed independently -----------------------------------


def _members(demo, report_context):
    """Each rolled-up site's assessment: the one of that site, date and status the report names."""
    found = list_assessments(demo, ADMIN)
    out = {}
    for s in report_context.sites:
        site_name = None if s.name == ENTERPRISE_NAME else s.name
        out[s.name] = next(a for a in found if a.site_name == site_name and a.as_of == s.as_of and a.status == s.status)
    return out


def _rows(demo, assessment, dataset: str) -> list[dict]:
    with demo.read() as session:
        current = evidence_store.current_imports(session, assessment.id)
        if dataset not in current:
            return []
        return frame_to_rows(get_schema(dataset), parts_to_frame(get_schema(dataset),
                                                                  evidence_store.load_parts(session, current[dataset].id)))


def _day(text):
    return date.fromisoformat(text) if text else None


def test_enterprise_metrics_equal_a_computation_from_the_members_rows(demo_db, enterprise):
    members = _members(demo_db, enterprise.ctx)
    ages, detect, overdue = {}, [], 0
    critical = documented = paths = governed = 0
    exercises = 0
    for label, a in members.items():
        exist = [r for r in _rows(demo_db, a, "exceptions") if _day(r["opened"]) <= a.as_of]
        open_ = [r for r in exist if r.get("status", "open") == "open"]
        ages[label] = [(a.as_of - _day(r["opened"])).days for r in open_ if r.get("risk_rating") in ("critical", "high")]
        overdue += sum(1 for r in open_ if r.get("review_date") and _day(r["review_date"]) < a.as_of)
        held = [r for r in _rows(demo_db, a, "exercises") if 0 <= (a.as_of - _day(r["date"])).days < 365]
        exercises += len(held)
        detect += [r["detect_minutes"] for r in held if r.get("detect_minutes") is not None]
        assets = [r for r in _rows(demo_db, a, "asset_inventory") if r.get("criticality") == "critical"]
        critical += len(assets)
        documented += sum(all(r.get(f) for f in ("owner", "dependencies", "recovery_requirement")) for r in assets)
        access = _rows(demo_db, a, "access_paths")
        paths += len(access)
        flags = ("approved", "mfa", "time_limited", "individually_attributed", "monitored")
        governed += sum(all(r.get(f) for f in flags) for r in access)

    everyone = [age for found in ages.values() for age in found]
    metric = enterprise.metric
    assert metric("high_risk_exception_age_max_days")["value"] == max(everyone)  # max
    assert metric("high_risk_exception_age_max_days")["by_site"] == {k: max(v) if v else None for k, v in ages.items()}
    assert metric("open_high_risk_exceptions")["value"] == len(everyone)  # sum
    assert metric("exceptions_overdue_review")["value"] == overdue
    assert metric("exercises_last_12_months")["value"] == exercises
    assert metric("high_risk_exception_age_median_days")["value"] == statistics.median(everyone)  # median
    assert metric("exercise_detect_minutes_median")["value"] == pytest.approx(statistics.median(detect))
    assert metric("critical_asset_documentation_pct")["value"] == pytest.approx(100 * documented / critical)  # ratio
    assert metric("governed_access_pct")["value"] == pytest.approx(100 * governed / paths)
    # and the enterprise trend's latest point is the same pooled figure
    point = trends.enterprise_rollup(demo_db, ADMIN)[-1]
    assert point.as_of.isoformat() == enterprise.json["meta"]["as_of"]
    for m in enterprise.json["metrics"]:
        assert point.metrics[m["name"]] == pytest.approx(m["value"]), m["name"]


def test_a_site_report_equals_its_share_of_the_enterprise(enterprise, site):
    for m in site.json["metrics"]:
        assert enterprise.metric(m["name"])["by_site"][SITE] == pytest.approx(m["value"]), m["name"]
    mine = [e for e in enterprise.json["exceptions"] if e["site"] == SITE]
    assert [(e["exception_id"], e["age_days"]) for e in mine] == [(e["exception_id"], e["age_days"])
                                                                  for e in site.json["exceptions"]]
