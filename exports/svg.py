"""Plotly figure → SVG bytes through kaleido, with one long-lived system Chromium per process.

Starting Chromium costs ~2–4 s, so the first call opens a browser (one tab) on a
private event-loop thread and every later call reuses it; the browser closes at process exit.
`submit` never waits for the browser: the start-up runs in the background and the drawing waits
for it there, so callers (and `start()`) can overlap it with their own work. Kaleido reloads its
page (plotly.js, ~0.2 s) after every figure; we reload a tab only every RELOAD_EVERY figures, since
Plotly.toImage draws into a detached element and purges it. Kaleido is always given the system
browser's path, so it never looks for or downloads its own, and MathJax is disabled so the page
loads nothing from the network (plotly.js comes from the installed plotly package). The browser
runs with no network at all and with the same-origin policy on (OFFLINE_FLAGS): a figure that
names a URL (an image, a CSS paint server in a label) draws without it. Identical
figures (same JSON and size) are rendered once per process: an SVG depends only on the figure, so
the cache cannot serve a stale chart. Each SVG is simplified once for weasyprint
(`exports.svg_simplify`): the same picture with fewer nodes.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import json
import shutil
import threading
from collections import OrderedDict
from concurrent.futures import Future
from pathlib import Path

import plotly.graph_objects as go

from errors import Problem, ScorecardError
from exports.svg_simplify import simplify_svg

BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
TABS = 1
"""One tab: the charts are drawn while weasyprint lays out on the other core, and a second tab
(another renderer process) only competed with weasyprint for it; it also halves the cold start."""
RELOAD_EVERY = 50
"""Figures a tab draws before its page is reloaded (bounds any state plotly.js leaves behind)."""
RENDER_TIMEOUT_S = 60
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


class SvgRenderer:
    """A process-wide kaleido browser on its own event loop; thread-safe `render` calls."""

    _instance: SvgRenderer | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        """concurrent Future of the open browser, set when the start-up is scheduled."""
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self.renders = 0
        """Figures actually drawn by the browser (cache misses), for tests and benchmarks."""

    @classmethod
    def shared(cls) -> SvgRenderer:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    @property
    def started(self) -> bool:
        return self._kaleido is not None

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
            self.start()
            asyncio.run_coroutine_threadsafe(self._draw(missing, width, drawing), self._loop)
        return PendingCharts(self, keys, drawing)

    def start(self) -> None:
        """Start the browser in the background if it is not open or opening; returns at once."""
        with self._lock:
            opening = self._kaleido
            if opening is not None and not (opening.done() and opening.exception() is not None):
                return
            if opening is not None:  # the last start failed (e.g. no browser): try again afresh
                self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True).start()
            self._kaleido = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
            atexit.register(self.close)

    def clear_cache(self) -> None:
        self._cache.clear()

    def _remember(self, key: str, svg: bytes) -> None:
        self._cache[key] = svg
        self._cache.move_to_end(key)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    async def _open(self):
        browser = _kaleido_class()(n=TABS, path=find_browser(), browser_cls=_offline_chromium(),
                                   mathjax=False, timeout=RENDER_TIMEOUT_S)
        await browser.open()
        return browser

    async def _draw(self, figures: dict[str, go.Figure], width: int, drawing: dict[str, Future]) -> None:
        """Draw the figures in order, settling each one's Future as soon as it is drawn."""
        try:
            browser = await asyncio.wrap_future(self._kaleido)
        except BaseException as error:
            for future in drawing.values():
                future.set_exception(error)
            return

        async def one(name: str, fig: go.Figure) -> None:
            opts = {"format": "svg", "width": width, "height": figure_height(fig)}
            try:
                drawing[name].set_result(simplify_svg(await browser.calc_fig(fig, opts=opts)))
            except BaseException as error:
                drawing[name].set_exception(error)

        await asyncio.gather(*(one(name, fig) for name, fig in figures.items()))

    def close(self) -> None:
        """Close the browser (also run at exit); a later render starts a new one."""
        with self._lock:
            if self._kaleido is None or self._loop is None:
                return
            try:
                if self._kaleido.exception(120) is None:
                    browser = self._kaleido.result()
                    asyncio.run_coroutine_threadsafe(browser.close(), self._loop).result(20)
            finally:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._kaleido = None
                self._loop = None


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
        svg = future.result(RENDER_TIMEOUT_S * len(self._drawing))
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


def _kaleido_class():
    """Kaleido whose tabs reload plotly.js only every RELOAD_EVERY figures instead of after each.

    Overrides kaleido 1.x's tab-return hook (`_return_kaleido_tab`); imported late because kaleido
    logs a plotly-compatibility check at import time."""
    import kaleido

    class ReusingKaleido(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            tab.drawn = getattr(tab, "drawn", 0) + 1
            if tab.drawn >= RELOAD_EVERY:
                tab.drawn = 0
                await tab.reload()
            await self.tabs_ready.put(tab)

    return ReusingKaleido


OFFLINE_FLAGS = (
    # No network at all: no name resolves (so no DNS query leaves), and every request, loopback
    # included, is sent to a proxy on the discard port where nothing answers; Chromium does not
    # fall back to a direct connection when the only proxy fails.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    # And no reason to try: no background, update, sync, metrics, safe-browsing, translate or
    # reporting traffic.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-pings",
    "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,NetworkTimeServiceQuerying,"
    "CertificateTransparencyComponentUpdater,AutofillServerCommunication,InterestFeedContentSuggestions",
)
"""Added to choreographer's command line (tests read it back from the running process)."""
UNSAFE_FLAGS = ("--disable-web-security", "--allow-file-access-from-files", "--enable-remote-extensions")
"""Removed from it: kaleido's page loads plotly.js with script tags from its own folder, which a
file:// page may do without them, and nothing else needs to leave the same-origin policy."""


def _offline_chromium():
    """Choreographer's Chromium, locked away from the network (OFFLINE_FLAGS, UNSAFE_FLAGS)."""
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self):
            kept = [arg for arg in super().get_cli()
                    if arg not in UNSAFE_FLAGS and not arg.startswith(("--proxy-server=", "--proxy-bypass-list="))]
            return [*kept, *OFFLINE_FLAGS]

    return OfflineChromium


def _key(fig: go.Figure, width: int) -> str:
    payload = json.dumps(fig.to_plotly_json(), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(f"{width}:{payload}".encode()).hexdigest()
