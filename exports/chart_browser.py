"""The Chromium that draws report charts: kaleido on choreographer, adapted in four ways.

- Offline (OFFLINE_FLAGS, UNSAFE_FLAGS): no name resolves, every request goes to a dead proxy,
  no background traffic, and the same-origin policy stays on.
- Tabs are reused (RELOAD_EVERY): kaleido reloads plotly.js (~0.2 s) after every figure; we
  reload only every RELOAD_EVERY figures, and never wait on a reload for longer than
  RELOAD_TIMEOUT_S.
- Closing never frees a pipe descriptor a reader thread may still use (`RetiringPipe`).
- A browser that does not start or stops answering is killed (`discard`), so the renderer can
  start a fresh one instead of waiting for ever.

Imported late by exports.svg: kaleido logs a plotly-compatibility check at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import weakref

import kaleido
from choreographer.browsers.chromium import Chromium
from choreographer.channels.pipe import Pipe

log = logging.getLogger(__name__)

RELOAD_EVERY = 50
"""Figures a tab draws before its page is reloaded (bounds any state plotly.js leaves behind)."""
RELOAD_TIMEOUT_S = 20
CLOSE_TIMEOUT_S = 10

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


class OfflineChromium(Chromium):
    """Choreographer's Chromium, locked away from the network (OFFLINE_FLAGS, UNSAFE_FLAGS)."""

    def get_cli(self):
        kept = [arg for arg in super().get_cli()
                if arg not in UNSAFE_FLAGS and not arg.startswith(("--proxy-server=", "--proxy-bypass-list="))]
        return [*kept, *OFFLINE_FLAGS]


class RetiringPipe(Pipe):
    """Choreographer's pipe to the browser, except that closing it keeps its descriptor numbers
    taken until nothing refers to the pipe any more.

    Choreographer closes the descriptors while its reader thread may be about to read one. The next
    browser's pipe can then get the same numbers, the late read takes that browser's first reply,
    and its start-up waits for ever (seen in CI: every chart after a close and reopen of the
    renderer hung). Here a closed descriptor is replaced by one on a directory, where every read
    and write fails as on a closed descriptor, and the number is released when the pipe is
    collected."""

    def __init__(self) -> None:
        super().__init__()
        self._retired: list[int] = []
        weakref.finalize(self, _close_all, self._retired)

    def _close_fd(self, fd: int) -> None:
        try:
            unusable = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.dup2(unusable, fd)
            self._retired.append(fd)
        except OSError:  # the descriptor was never valid: nothing to retire
            pass
        finally:
            os.close(unusable)


def _close_all(descriptors: list[int]) -> None:
    for fd in descriptors:
        with contextlib.suppress(OSError):
            os.close(fd)
    descriptors.clear()


class ReusingKaleido(kaleido.Kaleido):
    """Kaleido whose tab is reloaded every RELOAD_EVERY figures, within RELOAD_TIMEOUT_S.

    Overrides kaleido 1.x's tab-return hook (`_return_kaleido_tab`). A reload that fails or hangs
    keeps the tab out of the queue: the next figure then times out and the renderer replaces the
    browser."""

    async def _return_kaleido_tab(self, tab) -> None:
        tab.drawn = getattr(tab, "drawn", 0) + 1
        if tab.drawn >= RELOAD_EVERY:
            tab.drawn = 0
            await asyncio.wait_for(tab.reload(), RELOAD_TIMEOUT_S)
        await self.tabs_ready.put(tab)


def new_browser(path: str, tabs: int, render_timeout_s: float) -> ReusingKaleido:
    """An unopened chart browser at `path` (the system Chromium), offline, MathJax off."""
    return ReusingKaleido(n=tabs, path=path, browser_cls=OfflineChromium, channel_cls=RetiringPipe,
                          mathjax=False, timeout=render_timeout_s)


async def discard(browser: ReusingKaleido, polite: bool = True) -> None:
    """Close `browser` and make sure its process group is gone.

    `polite`: first ask it to close, within CLOSE_TIMEOUT_S (a normal shutdown). A browser that
    hung or never started is killed at once instead: asking it would only wait."""
    if polite:
        await _close(browser)
    process = getattr(browser, "subprocess", None)
    if process is not None:
        # Choreographer starts a wrapper process in a session of its own, with Chromium under it:
        # kill the whole group even when the wrapper has already gone (its own clean-up gives up
        # on a Chromium that does not answer SIGTERM within 5 s and leaves it running).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            await asyncio.get_running_loop().run_in_executor(None, process.wait)
    if not polite:
        await _close(browser)  # the process is gone: this only releases its pipes and temp folder


async def _close(browser: ReusingKaleido) -> None:
    try:
        await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT_S)
    except Exception as error:  # noqa: BLE001 - a hung or half-open browser fails in many ways
        log.warning("chart browser did not close cleanly (%s)", type(error).__name__)
