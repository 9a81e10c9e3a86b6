"""Stored evidence with rows dated after the assessment's as-of date: they exist nowhere in its
report — not in the metrics, the exception and exercise tables, the workbook, the JSON report, the
dashboard or the trend — so no age is ever negative."""

from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook

from services import dashboard, reports
from services import trend_series as trends
from services.assessments import finalize_assessment
from services.evidence_imports import import_evidence
from tests.services.helpers import ADMIN, plant_with_assessment

AS_OF = date(2026, 3, 31)
EXCEPTIONS = b"""exception_id,title,owner,risk_rating,opened,review_date,status
EX-OLD,Legacy HMI,J. Martin,critical,2025-01-15,2026-03-01,open
EX-TODAY,Opened on the as-of date,A. B,high,2026-03-31,2026-06-30,open
EX-FUTURE,Opened after the as-of date,A. B,critical,2026-04-10,2026-05-01,open
"""
EXERCISES = b"""exercise_id,date,scenario,exercise_type,detect_minutes
X-IN,2026-01-10,ransomware,tabletop,40
X-364,2025-04-01,ransomware,tabletop,60
X-365,2025-03-31,ransomware,tabletop,90
X-FUTURE,2026-05-01,remote access,tabletop,400
"""


def test_rows_after_the_as_of_date_exist_in_no_output(ctx):
    a = plant_with_assessment(ctx, as_of=AS_OF)
    import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS, name="exceptions.csv")
    import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="exercises.csv")

    context = reports.assessment_context(ctx, ADMIN, a.id)
    assert [(e.exception_id, e.age_days, e.age_band) for e in context.exceptions] == [
        ("EX-OLD", 440, "over 1 year"), ("EX-TODAY", 0, "0–30 days")]
    assert [x.exercise_id for x in context.exercises] == ["X-364", "X-IN"]  # the metrics' 365-day window
    median = {m.name: m for m in context.metrics}["high_risk_exception_age_median_days"]
    assert median.value == 220.0  # of 440 and 0: the future exception is not an open one of that day
    assert context.exceptions[0].review_overdue_days == 30

    workbook = load_workbook(io.BytesIO(reports.render(ctx, context, "xlsx")))
    ids = [row[0] for row in workbook["Exceptions"].iter_rows(min_row=2, values_only=True)]
    ages = [row[6] for row in workbook["Exceptions"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["EX-OLD", "EX-TODAY"] and min(ages) == 0
    assert [row[0] for row in workbook["Exercises"].iter_rows(min_row=2, values_only=True)] == ["X-364", "X-IN"]

    document = json.loads(reports.render(ctx, context, "json"))
    assert [e["exception_id"] for e in document["report"]["exceptions"]] == ["EX-OLD", "EX-TODAY"]
    assert all(e["age_days"] >= 0 for e in document["report"]["exceptions"])

    screen = dashboard.dashboard_context(ctx, ADMIN, "assessment", assessment_id=a.id)
    assert [e.exception_id for e in screen.exceptions] == ["EX-OLD", "EX-TODAY"]

    finalize_assessment(ctx, ADMIN, a.id)
    (point,) = trends.site_trend(ctx, ADMIN, "Plant North")
    assert point.metrics["high_risk_exception_age_median_days"] == 220.0
