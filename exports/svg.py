"""Plotly figure → SVG bytes through kaleido, with one long-lived system Chromium per process.

Starting Chromium costs ~2–4 s, so the first call opens a browser (one tab) on a private
event-loop thread and every later call reuses it; the browser closes at process exit.
`submit` never waits for the browser: the start-up runs in the background and the drawing waits
for it there, so callers (and `start()`) can overlap it with their own work. The browser itself
(offline, tab reuse, safe pipe closing) is set up in `exports.chart_browser`.

Every wait is bounded: a browser must start within `open_timeout_s` and draw each figure within
`render_timeout_s`. A browser that misses either is killed and a fresh one started, once per
drawing; if that one fails too, the charts fail with a clear error instead of hanging the report.
Identical figures (same JSON and size) are rendered once per process: an SVG depends only on the
figure, so the cache cannot serve a stale chart. Each SVG is simplified once for weasyprint
(`exports.svg_simplify`): the same picture with fewer nodes.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import json
import logging
import shutil
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from pathlib import Path

import plotly.graph_objects as go

from errors import Problem, ScorecardError
from exports.svg_simplify import simplify_svg

log = logging.getLogger(__name__)

BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
TABS = 1
"""One tab: the charts are drawn while weasyprint lays out on the other core, and a second tab
(another renderer process) only competed with weasyprint for it; it also halves the cold start."""
OPEN_TIMEOUT_S = 45
"""Seconds a new browser may take to answer (2–4 s when idle, ~10 s on a loaded 2-core machine)."""
RENDER_TIMEOUT_S = 60
"""Seconds one figure may take, waiting for the tab included."""
ATTEMPTS = 2
"""Browsers a drawing may use: the current one, then one fresh one if it hung or died."""
CACHE_SIZE = 256


def find_browser() -> str:
    """Path of the system Chromium; a clear error when there is none (never a download)."""
    for candidate in BROWSER_CANDIDATES:
        path = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if path:
            return str(path)
    raise ScorecardError(
        "no Chromium browser found to draw the report charts",
        [Problem("charts", f"looked for {', '.join(BROWSER_CANDIDATES)}", "install the chromium package")],
    )


class BrowserTrouble(Exception):
    """The chart browser did not start, stopped answering or died: worth one fresh browser."""


class SvgRenderer:
    """A process-wide kaleido browser on its own event loop; thread-safe `render` calls.

    `browser_path`, `open_timeout_s` and `render_timeout_s` default to the system Chromium and the
    module's limits (tests give a private renderer short limits or a browser that never answers)."""

    _instance: SvgRenderer | None = None
    _lock = threading.Lock()

    def __init__(self, browser_path: str | None = None, open_timeout_s: float = OPEN_TIMEOUT_S,
                 render_timeout_s: float = RENDER_TIMEOUT_S) -> None:
        self._browser_path = browser_path
        self.open_timeout_s, self.render_timeout_s = open_timeout_s, render_timeout_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Future | None = None
        """concurrent Future of the open browser, set when the start-up is scheduled."""
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self.renders = 0
        """Figures actually drawn by the browser (cache misses), for tests and benchmarks."""
        self.restarts = 0
        """Browsers replaced because they hung or died, for tests and the log."""

    @classmethod
    def shared(cls) -> SvgRenderer:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    @property
    def started(self) -> bool:
        return self._kaleido is not None

    @property
    def browser_pid(self) -> int | None:
        """Process id of the open browser's main process, or None while none is open."""
        opening = self._kaleido
        if opening is None or not opening.done() or opening.exception() is not None:
            return None
        process = getattr(opening.result(), "subprocess", None)
        return None if process is None else process.pid

    def wait_limit_s(self, figures: int) -> float:
        """Seconds after which a drawing of `figures` charts must have settled (every attempt's
        start-up and draws): past it the event loop itself is stuck, and waiting longer is futile."""
        from exports.chart_browser import CLOSE_TIMEOUT_S

        return ATTEMPTS * (self.open_timeout_s + CLOSE_TIMEOUT_S + self.render_timeout_s * figures) + 10

    def render(self, figures: dict[str, go.Figure], width: int) -> dict[str, bytes]:
        """SVG bytes for each named figure, at `width` CSS pixels and the figure's own height."""
        return self.submit(figures, width).result()

    def submit(self, figures: dict[str, go.Figure], width: int) -> PendingCharts:
        """Start drawing in the browser and return at once: the caller can lay out the document
        meanwhile (Chromium runs in its own process) and collect the SVGs when it needs them."""
        keys = {name: _key(fig, width) for name, fig in figures.items()}
        missing = {name: fig for name, fig in figures.items() if keys[name] not in self._cache}
        drawing = {name: Future() for name in missing}
        if missing:
            loop = self.start()
            asyncio.run_coroutine_threadsafe(self._draw(missing, width, drawing), loop)
        return PendingCharts(self, keys, drawing)

    def start(self) -> asyncio.AbstractEventLoop:
        """Start the browser in the background if it is not open or opening; returns at once
        (the event loop the browser lives on)."""
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True).start()
                atexit.register(self.close)
            opening = self._kaleido
            if opening is None or (opening.done() and opening.exception() is not None):
                # not started, or the last start failed (e.g. no browser): try again afresh
                self._kaleido = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
            return self._loop

    def clear_cache(self) -> None:
        self._cache.clear()

    def _remember(self, key: str, svg: bytes) -> None:
        self._cache[key] = svg
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    async def _open(self):
        from exports import chart_browser

        path = self._browser_path or find_browser()  # no browser at all: a clear error, no retry
        browser = chart_browser.new_browser(path, TABS, self.render_timeout_s)
        started = time.monotonic()
        try:
            await asyncio.wait_for(browser.open(), self.open_timeout_s)
        except BaseException as error:
            await chart_browser.discard(browser, polite=False)
            if time.monotonic() - started >= self.open_timeout_s:  # choreographer turns the cancel into its own error
                raise BrowserTrouble(f"the chart browser did not start within {self.open_timeout_s:g} s") from None
            raise BrowserTrouble(f"the chart browser failed to start: {error}") from error
        return browser

    def _replace(self, broken: Future) -> None:
        """On the loop thread: swap a hung or dead browser for a fresh one (unless someone already
        did, or the renderer was closed), and kill the old one in the background."""
        if self._kaleido is not broken or self._loop is None:
            return
        self.restarts += 1
        self._kaleido = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        if broken.done() and broken.exception() is None:
            from exports import chart_browser

            asyncio.ensure_future(chart_browser.discard(broken.result(), polite=False))

    async def _draw(self, figures: dict[str, go.Figure], width: int, drawing: dict[str, Future]) -> None:
        """Draw the figures one after the other (one tab), settling each Future as soon as its
        figure is drawn. A figure plotly.js refuses fails alone; a browser that hangs or dies is
        replaced once and the undrawn figures are drawn in the new one."""
        from choreographer.errors import BrowserClosedError, BrowserFailedError, ChannelClosedError

        trouble_types = (BrowserTrouble, asyncio.TimeoutError, TimeoutError,
                         BrowserClosedError, BrowserFailedError, ChannelClosedError)
        undrawn = dict(figures)
        trouble: BaseException | None = None
        for attempt in range(ATTEMPTS):
            opening = self._kaleido
            try:
                if opening is None:
                    raise BrowserTrouble("the chart browser was closed while drawing")
                browser = await asyncio.wrap_future(opening)
                for name, fig in list(undrawn.items()):
                    opts = {"format": "svg", "width": width, "height": figure_height(fig)}
                    try:
                        svg = await asyncio.wait_for(browser.calc_fig(fig, opts=opts), self.render_timeout_s)
                    except trouble_types:
                        raise
                    except Exception as error:  # noqa: BLE001 - this figure's own failure
                        drawing[name].set_exception(error)
                    else:
                        drawing[name].set_result(simplify_svg(svg))
                    del undrawn[name]
                return
            except trouble_types as error:
                trouble = error
                log.warning("chart browser trouble (attempt %d of %d, %d charts undrawn): %s",
                            attempt + 1, ATTEMPTS, len(undrawn), error or type(error).__name__)
                if opening is not None and attempt + 1 < ATTEMPTS:
                    self._replace(opening)
            except BaseException as error:  # noqa: BLE001 - settle every Future whatever happens
                trouble = error
                break
        failure = trouble if isinstance(trouble, ScorecardError) else ScorecardError(
            "the report charts could not be drawn",
            [Problem("charts", str(trouble or "the chart browser failed"),
                     "check that /usr/bin/chromium --headless runs on this machine; the next report tries a fresh browser")])
        for future in (drawing[name] for name in undrawn):
            if not future.done():
                future.set_exception(failure)

    def close(self) -> None:
        """Close the browser (also run at exit); a later render starts a new one."""
        with self._lock:
            loop, opening = self._loop, self._kaleido
            self._loop = self._kaleido = None
        if loop is None:
            return
        try:
            if opening is not None:
                from exports import chart_browser

                if opening.exception(self.open_timeout_s + 5) is None:
                    asyncio.run_coroutine_threadsafe(chart_browser.discard(opening.result()), loop).result(
                        chart_browser.CLOSE_TIMEOUT_S + 10)
        except Exception as error:  # noqa: BLE001 - closing must not raise at exit
            log.warning("chart browser close: %s", type(error).__name__)
        finally:
            loop.call_soon_threadsafe(loop.stop)


class PendingCharts:
    """SVGs being drawn, each available as soon as it is drawn: `get(name)` waits for one chart,
    `result()` for all, `when_drawn(names, callback)` calls back once those exist. Drawn SVGs go
    into the renderer's cache."""

    def __init__(self, renderer: SvgRenderer, keys: dict[str, str], drawing: dict[str, Future]) -> None:
        self._renderer, self._keys, self._drawing = renderer, keys, drawing

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def get(self, name: str) -> bytes:
        """The SVG of chart `name`, waiting for its drawing (and raising its error, if any)."""
        key = self._keys[name]
        future = self._drawing.get(name)
        if future is None:
            return self._renderer._cache[key]
        limit = self._renderer.wait_limit_s(len(self._drawing))
        try:
            svg = future.result(limit)
        except TimeoutError:
            raise ScorecardError("the report charts could not be drawn", [Problem(
                "charts", f"chart {name!r} was not drawn within {limit:g} s", "try again; if it happens again, restart the app and see its log")]) from None
        if key not in self._renderer._cache:
            self._renderer._remember(key, svg)
            self._renderer.renders += 1
        return svg

    def result(self) -> dict[str, bytes]:
        return {name: self.get(name) for name in self._keys}

    def when_drawn(self, names, callback) -> None:
        """Call `callback(svgs by name, None)` once every chart in `names` is drawn, or
        `callback(None, error)` with the first drawing error; from the thread that finished last."""
        names = [name for name in names if name in self._keys]
        futures = [self._drawing[name] for name in names if name in self._drawing]
        if not futures:
            callback({name: self.get(name) for name in names}, None)
            return
        remaining = [len(futures)]
        lock = threading.Lock()

        def settled(_future) -> None:
            with lock:
                remaining[0] -= 1
                if remaining[0]:
                    return
            try:
                svgs = {name: self.get(name) for name in names}
            except BaseException as error:
                callback(None, error)
            else:
                callback(svgs, None)

        for future in futures:
            future.add_done_callback(settled)


def figure_height(fig: go.Figure) -> int:
    """Height in CSS pixels the figure is drawn at (its layout height, plotly's default 400)."""
    return int(fig.layout.height or 400)


def _key(fig: go.Figure, width: int) -> str:
    payload = json.dumps(fig.to_plotly_json(), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{width}:{payload}".encode()).hexdigest()
