"""The plan in every output, from the path-to-target example of docs/methodology.md: the JSON
report (version, fields, units), the Plan and Path to target sheets, the PDF's summary verdict and
plan section (user text escaped, formulas inert), and the path chart's parts."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from catalog.loader import load_catalog
from exports.builder import build_context
from exports.context import ReportMeta, Score3, TrendRow
from exports.pdf import render_html
from exports.plan_charts import path_to_target_chart
from exports.report_json import VERSION, render_json
from exports.xlsx import render_workbook
from scoring.model import Scope
from scoring.plan_model import PlanSubject, TargetDue
from scoring.projection import Projector
from tests.exports.fixtures import FORMULA_PAYLOADS, HTML_PAYLOAD
from tests.scoring.conftest import CONTENT
from tests.scoring.test_path_example import TABLES, _actions
from tests.scoring.test_worked_example import _metrics, _responses

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CONTENT)


@pytest.fixture(scope="module")
def context(catalog):
    questionnaire = catalog.questionnaire("mini")
    subject = PlanSubject(
        questionnaire=questionnaire, csf=catalog.framework("mini-csf"), cpg=catalog.framework("mini-cpg"),
        responses=tuple(_responses()), metrics=_metrics(), scope=Scope.IT_OT, as_of=AS_OF,
        target_due=questionnaire.target_profile.due_date,
        target_dues=tuple(TargetDue(r["Question"], r["Env"], int(r["Target"]), date.fromisoformat(r["Due"]))
                          for r in TABLES["agreed"]), definitions=catalog.metric_definitions())
    hostile = [a.model_copy(update={"title": title}) for a, title in
               zip(_actions(), (HTML_PAYLOAD, *FORMULA_PAYLOADS), strict=False)]
    projector = Projector([subject], hostile, today=AS_OF)
    card, _ = projector.cards([])
    meta = ReportMeta(title="Cyber resilience report", organisation="Acme", subject="Plant", kind="assessment",
                      scope="IT+OT", as_of=AS_OF, status="final")
    return build_context(card, questionnaire, catalog.metric_definitions(), meta, metrics=_metrics(),
                         plan=projector.values())


def test_json_report_carries_the_plan_and_target_dates(context):
    doc = json.loads(render_json(context))
    assert doc["version"] == VERSION == "1.3.0"
    assert {"money", "effort"} <= set(doc["units"])
    report = doc["report"]
    assert report["headline"]["target_due"] == "2027-06-30"
    plan = report["plan"]
    assert [p["verified"] for p in plan["points"]] == [3.0, 3.25, 3.75]
    assert plan["headline"]["status"] == "off_track" and plan["ranking"] == "per_cost"
    assert [(a["rank"], a["state"]) for a in plan["actions"]] == [
        (1, "slipped"), (2, "scheduled"), (3, "scheduled"), (None, "not_answered"), (None, "accepted")]
    assert plan["total_cost"] == 55000.0 and plan["slip_days"] == {"": 32}
    dues = {(r["question_id"], r["environment"]): r["target_due"] for r in report["responses"]}
    assert dues[("GOV-01", "IT")] == "2027-01-31" and dues[("GOV-02", "IT")] == "2027-06-30"  # agreed, else overall


def test_plan_sheets(context):
    wb = load_workbook(io.BytesIO(render_workbook(context)))
    rows = list(wb["Plan"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("ID", "Version", "Question") and wb["Plan"].column_dimensions["B"].hidden
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_id["A3"]["Rank"] == 1 and by_id["A3"]["Projection"] == "Slipped" and by_id["A3"]["Overdue (days)"] == 32
    assert by_id["A1"]["Promises"] == "ACC-01 OT → 4" and by_id["A1"]["Cost"] == 40000
    cells = {c.value: c for row in wb["Plan"].iter_rows() for c in row if isinstance(c.value, str)}
    for payload in FORMULA_PAYLOADS[:4]:
        assert cells[payload].data_type == "s", payload  # written as text, never a formula
    path = list(wb["Path to target"].iter_rows(values_only=True))
    assert [(r[0], r[2], r[3]) for r in path[1:4]] == [("today", 0, 3.0), ("2026 Q4", 2, 3.25), ("2027 Q1", 3, 3.75)]
    targets = next(i for i, r in enumerate(path) if r and r[0] == "Target")
    assert path[targets + 1][0] == "Overall target" and path[targets + 1][6] == "Off track"


def test_pdf_summary_and_plan_section(context):
    front = render_html(context, part="front")
    assert 'src="chart:path"' in front and "chart:trend" not in front
    assert "target 4.08 due 2027-06-30" in front
    assert "Path to target: <strong>Off track</strong>" in front and "no action of the plan reaches it" in front
    section = front[front.index("Plan: the path to target"):]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "<script>" not in section
    assert "Levels: ACC-01 OT → 4" in section and "Evidence: Critical assets fully documented ≥ 90.0 %" in section
    assert "counted 2026-12-03" in section  # the slipped action says when it is counted
    assert "2.B OT: in progress → implemented (2027-03-31)" in section


def test_path_chart_parts(context):
    trend = (TrendRow("2026 Q3", date(2026, 9, 30), Score3(3.0, 2.8, 4.0), None, {}),
             TrendRow("2026 Q4", AS_OF, Score3(3.1, 3.0, 4.08), None, {}))
    fig = path_to_target_chart(trend, context.plan)
    names = [t.name for t in fig.data]
    assert names[:2] == ["Verified", "Projected (plan)"]
    assert "Target 4.08 due 2027-06-30: off track" in names
    assert list(fig.data[1].marker.size)[0] == 0  # today's point is marked by the verified line only
    no_date = path_to_target_chart(trend, replace(context.plan, headline=None))
    assert any(t.name == "Target 4.08, no due date" for t in no_date.data)
    assert path_to_target_chart((), None).layout.annotations[0].text == "No verified score yet"
