"""One way to write each kind of number (exports.formatting), used by every output."""

from __future__ import annotations

from datetime import date

import pytest

from exports import formatting


@pytest.mark.parametrize(("value", "unit", "text"), [
    (86.84, "pct", "86.8 %"), (100.0, "pct", "100.0 %"), (0.0, "pct", "0.0 %"),
    (1750.0, "minutes", "1,750 min"), (51.75, "minutes", "51.8 min"),
    (815.0, "days", "815 days"), (108.5, "days", "108.5 days"), (1.0, "days", "1 day"),
    (2.0, "count", "2"), (1204.0, "count", "1,204"), (None, "pct", "—"), (None, "count", "—"),
])
def test_metric_values_read_in_their_unit(value, unit, text):
    assert formatting.metric_value(value, unit) == text


@pytest.mark.parametrize(("change", "unit", "text"), [
    (3.14, "pct", "+3.1 pts"), (-2.0, "pct", "-2.0 pts"), (0.01, "pct", "no change"), (92.0, "days", "+92 days"),
    (-4.0, "count", "-4"), (-1.0, "days", "-1 day"), (None, "count", ""),
])
def test_metric_changes_are_signed_and_in_points_for_percentages(change, unit, text):
    assert formatting.metric_change(change, unit) == text


def test_thresholds_read_as_content_states_them():
    assert formatting.thresholds("higher_is_better", 95, 80, "pct") == "green ≥ 95 %, amber ≥ 80 %"
    assert formatting.thresholds("lower_is_better", 180, 365, "days") == "green ≤ 180 days, amber ≤ 365 days"
    assert formatting.thresholds("lower_is_better", 5, 15, "count") == "green ≤ 5, amber ≤ 15"


@pytest.mark.parametrize(("due", "overdue", "text"), [
    (date(2026, 9, 29), 1, "overdue by 1 day (due 2026-09-29)"),
    (date(2025, 12, 29), 275, "overdue by 275 days (due 2025-12-29)"),
    (date(2026, 10, 15), None, "by 2026-10-15"),
    (None, None, "—"),
])
def test_due_dates_read_against_the_as_of_date(due, overdue, text):
    assert formatting.due(due, overdue) == text


def test_shares_scores_and_minutes():
    assert formatting.share(0.27) == "27 %" and formatting.share(None) == "—"
    assert formatting.percent(64.83) == "64.8 %" and formatting.score(3.3149) == "3.31"
    assert formatting.minutes(1440.0) == "1,440" and formatting.minutes(69.14) == "69.1"
