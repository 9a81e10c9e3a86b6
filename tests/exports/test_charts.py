"""Chart functions: data in, plotly figure out; readable without colour; never silently blank."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import pytest

from exports import charts
from exports.context import GoalRow, Score3, TrendRow
from exports.pdf import report_figures
from tests.exports import fixtures


@pytest.fixture(scope="module")
def figures():
    return report_figures(fixtures.context("enterprise"))


def test_report_has_every_chart(figures):
    assert set(figures) == {"overall", "trend", "path", "functions", "categories", "cpg", "scenarios", "exceptions",
                            "exercises", "sites"}
    for name, fig in figures.items():
        assert fig.data or fig.layout.shapes, name
        assert fig.layout.height, name


def test_series_differ_by_more_than_colour(figures):
    for name in ("overall", "functions", "scenarios", "exceptions", "exercises", "sites"):
        bars = [t for t in figures[name].data if isinstance(t, go.Bar)]
        patterns = {t.marker.pattern.shape for t in bars}
        assert len(patterns) == len(bars), name
        assert all(t.text is not None for t in bars), name  # direct value labels
    lines = figures["trend"].data
    assert len({(t.line.dash, t.marker.symbol) for t in lines}) == len(lines) == 3


def test_cpg_heatmap_is_vector_with_words_in_cells(figures):
    fig = figures["cpg"]
    assert not any(isinstance(t, go.Heatmap) for t in fig.data)  # plotly exports heatmaps as bitmaps
    words = sorted(a.text for a in fig.layout.annotations)
    assert words == ["Implemented", "In progress", "In progress", "Not assessed"]
    assert len(fig.layout.shapes) == 4


def test_exception_chart_counts_by_band_and_rating(figures):
    fig = figures["exceptions"]
    counts = {t.name: list(t.y) for t in fig.data}
    assert counts == {"Critical": [0, 0, 0, 0, 1], "High": [0, 0, 1, 0, 0], "Medium": [1, 0, 0, 0, 0]}


def test_empty_inputs_say_so():
    for fig, message in (
        (charts.trend_chart(()), "Trend appears after the second finalised assessment"),
        (charts.exception_ageing_chart((), ()), "No open exceptions"),
        (charts.exercise_chart(()), "No exercises recorded"),
        (charts.site_chart(()), "No sites to compare"),
        (charts.cpg_heatmap((), ("IT",)), "No CPG goals in this questionnaire"),
    ):
        assert fig.layout.annotations[0].text == message


def test_patterned_bars_keep_their_colour_under_the_pattern(figures):
    """fillmode "overlay" draws the hatching over the bar's colour; the default leaves bars white."""
    for name in ("overall", "functions", "scenarios", "exceptions", "exercises", "sites"):
        for trace in (t for t in figures[name].data if isinstance(t, go.Bar)):
            assert trace.marker.pattern.fillmode == "overlay", (name, trace.name)
            assert trace.marker.color, (name, trace.name)


@pytest.mark.parametrize(("verified", "target", "label_side", "target_anchor"), [
    (3.31, 3.50, "bottom center", "bottom"),  # below target: its label below, the target's above
    (3.60, 3.50, "top center", "top"),        # above target: its label above, the target's below
    (3.50, 3.50, "top center", "top"),
])
def test_last_verified_label_and_target_label_sit_on_opposite_sides(verified, target, label_side, target_anchor):
    rows = [TrendRow("2026 Q2", date(2026, 6, 30), Score3(3.0, 3.0, target), None, {}),
            TrendRow("2026 Q3", date(2026, 9, 30), Score3(3.4, verified, target), None, {})]
    fig = charts.trend_chart(rows)
    verified_trace = next(t for t in fig.data if t.name == "Verified")
    assert verified_trace.textposition[-1] == label_side
    note = next(a for a in fig.layout.annotations if a.text.startswith("target"))
    assert note.yanchor == target_anchor and note.text == f"target {target:.2f}"


def test_enterprise_cpg_grid_has_a_column_per_site_after_the_worst_per_environment():
    goals = [GoalRow("2.0:3.F", "Secure remote access", "in_progress", "not_implemented", 3.0, 2.0,
                     sites=(("Shared IT", "implemented"), ("Lyon Pressing", "not_implemented"))),
             GoalRow("2.0:4.A", "Tested backups", "implemented", None, 4.0, None,
                     sites=(("Shared IT", "implemented"), ("Lyon Pressing", "not_assessed")))]
    fig = charts.cpg_heatmap(goals, ("IT", "OT"))
    assert list(fig.layout.xaxis.ticktext) == ["All sites<br>IT", "All sites<br>OT", "Shared IT", "Lyon<br>Pressing"]
    cells = [a.text for a in fig.layout.annotations]
    # Rows run bottom-up (last goal first); four columns abbreviate the words.
    assert cells == ["Impl.", "–", "Impl.", "–", "In prog.", "Not impl.", "Impl.", "Not impl."]
    assert "site" in fig.layout.title.text
