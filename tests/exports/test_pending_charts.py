"""Charts handed over one by one as the browser draws them (exports.svg.PendingCharts), and a part
whose chart could not be drawn (exports.pdf_worker.PartJob). Futures stand in for the browser."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from exports.fetcher import TemplateOnlyFetcher
from exports.pdf import render_html
from exports.pdf_worker import PdfWorker
from exports.svg import PendingCharts, SvgRenderer
from tests.exports import fixtures

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def _pending(*names: str) -> tuple[PendingCharts, dict[str, Future]]:
    drawing = {name: Future() for name in names}
    return PendingCharts(SvgRenderer(), {name: f"key-{name}" for name in names}, drawing), drawing


def test_one_chart_is_available_before_the_others_are_drawn():
    pending, drawing = _pending("a", "b")
    drawing["a"].set_result(SVG)
    assert pending.get("a") == SVG
    assert not drawing["b"].done()
    fetcher = TemplateOnlyFetcher(pending)
    assert fetcher.chart("a") == SVG and fetcher.chart("unknown") is None
    drawing["b"].set_result(SVG + b" ")
    assert pending.result() == {"a": SVG, "b": SVG + b" "}


def test_when_drawn_calls_back_once_the_named_charts_exist_or_with_the_first_error():
    pending, drawing = _pending("a", "b", "c")
    calls = []
    pending.when_drawn(["b", "c"], lambda svgs, error: calls.append((svgs, error)))
    drawing["b"].set_result(SVG)
    assert calls == []
    drawing["a"].set_exception(RuntimeError("not ours"))  # a chart the caller did not ask for
    assert calls == []
    drawing["c"].set_result(SVG)
    assert calls == [({"b": SVG, "c": SVG}, None)]

    failing, drawing = _pending("x")
    errors = []
    failing.when_drawn(["x"], lambda svgs, error: errors.append((svgs, error)))
    drawing["x"].set_exception(ValueError("plotly.js refused the figure"))
    assert errors[0][0] is None and isinstance(errors[0][1], ValueError)
    with pytest.raises(ValueError, match="refused the figure"):
        failing.get("x")


def test_a_part_whose_chart_failed_raises_that_error_and_nothing_is_left_waiting():
    context = fixtures.context("site", "draft")
    html = render_html(context, "a4", "back")
    job = PdfWorker.shared().lay_out(html, {"exceptions": (680, 400), "exercises": (680, 400)})
    pending, drawing = _pending("exceptions", "exercises")
    job.paint_when_drawn(pending)
    done = threading.Event()
    drawing["exercises"].add_done_callback(lambda _f: done.set())
    drawing["exceptions"].set_result(SVG)
    drawing["exercises"].set_exception(RuntimeError("browser crashed"))
    assert done.wait(5)
    with pytest.raises(RuntimeError, match="browser crashed"):
        job.result()
    assert job.page_count() >= 1  # the worker laid the part out and answers the next request
    job.cancel()
