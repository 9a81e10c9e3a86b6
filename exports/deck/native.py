"""Native PowerPoint charts for the deck: the chart data lives in the file (PowerPoint's "Edit
Data" opens it), nothing is a picture.

Readability rules are the PDF's (exports.charts): Okabe–Ito colours, and every series also differs
by pattern (bars), dash and marker (lines), so a chart reads in greyscale and for colour-blind
readers; bars carry their value as a label. A target is a bar drawn as an empty dashed frame, so it
reads as "where this should reach". Horizontal bar charts list their categories top to bottom in
the order given (the order of the JSON report). Each chart's frame is named `chart:<name>` so tests
and scripts can find it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml.etree import SubElement
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.oxml.ns import qn
from pptx.util import Pt

from exports.charts import DARK, INK
from exports.deck.style import FONT, Box, mix, rgb

PATTERNS = {
    # The PDF's plotly pattern codes as PowerPoint pattern fills.
    "/": MSO_PATTERN.WIDE_UPWARD_DIAGONAL, "\\": MSO_PATTERN.WIDE_DOWNWARD_DIAGONAL,
    "x": MSO_PATTERN.DIAGONAL_CROSS, ".": MSO_PATTERN.PERCENT_20, "+": MSO_PATTERN.SMALL_GRID,
    "-": MSO_PATTERN.LIGHT_HORIZONTAL, "|": MSO_PATTERN.LIGHT_VERTICAL,
}
GRID = "E5E5E5"
AXIS = "888888"


@dataclass(frozen=True)
class Bars:
    """One bar series: `pattern` is a plotly pattern code ("" solid); `outline` draws the bars as
    empty dashed frames (targets)."""

    name: str
    values: Sequence[float | None]
    colour: str
    pattern: str = ""
    outline: bool = False
    points: Sequence[tuple[str, str]] = ()
    """(colour, pattern) of each bar when they differ (a status chart), else empty."""


@dataclass(frozen=True)
class Line:
    """One line series with its dash and marker; `labels` writes each point's value, except at the
    indexes in `quiet` (a point another series labels already)."""

    name: str
    values: Sequence[float | None]
    colour: str
    dash: MSO_LINE_DASH_STYLE = MSO_LINE_DASH_STYLE.SOLID
    marker: XL_MARKER_STYLE = XL_MARKER_STYLE.CIRCLE
    labels: bool = False
    quiet: Sequence[int] = ()


@dataclass(frozen=True)
class Scale:
    """The value axis: range, step, number format of ticks and labels, title."""

    low: float = 0.0
    high: float | None = 5.0
    step: float | None = 1.0
    number_format: str = "0.00"
    title: str = "Maturity (0–5)"


MATURITY = Scale()


def bar_chart(slide, box: Box, name: str, categories: Sequence[str], series: Sequence[Bars], *,
              scale: Scale = MATURITY, horizontal: bool = True, stacked: bool = False, labels: bool = True,
              font: float = 11):
    """A clustered (or stacked) bar chart; horizontal lists categories top to bottom."""
    data = CategoryChartData(number_format=scale.number_format)
    data.categories = list(categories)
    for s in series:
        data.add_series(s.name, list(s.values))
    kind = {(True, False): XL_CHART_TYPE.BAR_CLUSTERED, (True, True): XL_CHART_TYPE.BAR_STACKED,
            (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED, (False, True): XL_CHART_TYPE.COLUMN_STACKED}
    frame = slide.shapes.add_chart(kind[horizontal, stacked], *box.emu(), data)
    frame.name = f"chart:{name}"
    chart = frame.chart
    _common(chart, font, legend=len(series) > 1)
    plot = chart.plots[0]
    plot.gap_width = 60 if stacked else 45
    plot.overlap = 100 if stacked else -8
    for spec, drawn in zip(series, plot.series, strict=True):
        _style_bars(drawn, spec)
        if labels:
            inside = stacked and not spec.outline
            _labels(drawn, scale.number_format, font - 1,
                    XL_LABEL_POSITION.CENTER if inside else XL_LABEL_POSITION.OUTSIDE_END,
                    "FFFFFF" if inside and spec.colour in DARK else INK)
    _value_axis(chart, scale, font)
    if horizontal:
        chart.category_axis.reverse_order = True
        # With the categories reversed, keep the value axis at the bottom of the plot.
        chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
    return chart


def line_chart(slide, box: Box, name: str, categories: Sequence[str], series: Sequence[Line], *,
               scale: Scale = MATURITY, font: float = 11):
    """A line chart over periods, markers on every point."""
    data = CategoryChartData(number_format=scale.number_format)
    data.categories = list(categories)
    for s in series:
        data.add_series(s.name, list(s.values))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box.emu(), data)
    frame.name = f"chart:{name}"
    chart = frame.chart
    _common(chart, font, legend=True)
    for spec, drawn in zip(series, chart.plots[0].series, strict=True):
        drawn.smooth = False
        line = drawn.format.line
        line.color.rgb = rgb(spec.colour)
        line.width = Pt(2.5)
        line.dash_style = spec.dash
        drawn.marker.style = spec.marker
        drawn.marker.size = 8
        drawn.marker.format.fill.solid()
        drawn.marker.format.fill.fore_color.rgb = rgb(spec.colour)
        drawn.marker.format.line.color.rgb = rgb(spec.colour)
        if spec.labels:
            _labels(drawn, scale.number_format, font - 1, XL_LABEL_POSITION.BELOW, INK)
            for index in spec.quiet:
                _hide_label(drawn, index)
    _value_axis(chart, scale, font)
    return chart


def _common(chart, font: float, legend: bool) -> None:
    chart.has_title = False
    chart.font.name = FONT
    chart.font.size = Pt(font)
    chart.font.color.rgb = rgb(INK)
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(font)
    axis = chart.category_axis
    axis.format.line.color.rgb = rgb(AXIS)
    axis.tick_labels.font.size = Pt(font)
    axis.has_major_gridlines = False


def _value_axis(chart, scale: Scale, font: float) -> None:
    axis = chart.value_axis
    axis.minimum_scale = scale.low
    if scale.high is not None:
        axis.maximum_scale = scale.high
    if scale.step is not None:
        axis.major_unit = scale.step
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(GRID)
    axis.format.line.color.rgb = rgb(AXIS)
    axis.tick_labels.font.size = Pt(font - 1)
    axis.tick_labels.number_format = scale.number_format.replace("0.00", "0")
    axis.tick_labels.number_format_is_linked = False
    if scale.title:
        axis.has_title = True
        axis.axis_title.text_frame.text = scale.title
        title_font = axis.axis_title.text_frame.paragraphs[0].runs[0].font
        title_font.size = Pt(font - 1)
        title_font.bold = False


def _style_bars(drawn, spec: Bars) -> None:
    drawn.invert_if_negative = False
    _paint(drawn.format, spec.colour, spec.pattern, spec.outline)
    for index, (colour, pattern) in enumerate(spec.points):
        _paint(drawn.points[index].format, colour, pattern, False)


def _paint(fmt, colour: str, pattern: str, outline: bool) -> None:
    fill, line = fmt.fill, fmt.line
    if outline:
        fill.background()
        line.color.rgb = rgb(colour)
        line.width = Pt(1.75)
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
        return
    if pattern:
        fill.patterned()
        fill.pattern = PATTERNS[pattern]
        fill.fore_color.rgb = rgb(mix(colour, INK, 0.45))
        fill.back_color.rgb = rgb(colour)
    else:
        fill.solid()
        fill.fore_color.rgb = rgb(colour)
    line.color.rgb = rgb(INK)
    line.width = Pt(0.5)


def _hide_label(drawn, index: int) -> None:
    """No label on one point: a `<c:dLbl>` holding only its index and `<c:delete val="1"/>`, the
    form PowerPoint writes and LibreOffice honours (an empty text is still drawn as the value)."""
    label = drawn.points[index].data_label._get_or_add_dLbl()
    for child in list(label):
        if child.tag != qn("c:idx"):
            label.remove(child)
    SubElement(label, qn("c:delete")).set("val", "1")


def _labels(drawn, number_format: str, size: float, position, colour: str) -> None:
    labels = drawn.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.position = position
    labels.font.size = Pt(size)
    labels.font.color.rgb = rgb(colour)
