"""Chart functions: data in, plotly figure out; readable without colour; never silently blank."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from exports import charts
from exports.pdf import report_figures
from tests.exports import fixtures


@pytest.fixture(scope="module")
def figures():
    return report_figures(fixtures.context("enterprise"))


def test_report_has_every_chart(figures):
    assert set(figures) == {"overall", "trend", "functions", "categories", "cpg", "scenarios", "exceptions",
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
