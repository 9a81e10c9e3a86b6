"""A second process that lays out and paints one part of the report while this process does the
other: weasyprint is pure Python under the GIL, so only another process uses the second core.

A part is handed over in two steps, because its charts are still being drawn when its layout can
start: `lay_out(html, chart_sizes)` sends the HTML at once, and `PartJob.paint(svgs)` sends the
SVGs once the browser has them; `PartJob.result()` returns the PDF bytes and what the worker's
TemplateOnlyFetcher served and refused. The worker runs jobs in order, so a part's paint step
always finds its laid-out pages.

One worker per process, started on first use or by `start()` (services.reports.prepare_pdf) and kept for
the process's life, like the chart browser. It is a plain `python -c` child exchanging messages
with this process over two private pipes (multiprocessing.connection, which serialises only what
these two processes send each other: HTML, chart SVGs, PDF bytes). It is not a multiprocessing
child: spawn re-runs the parent's main script in the child (the `scorecard` CLI imports for ~2 s;
a script read from stdin cannot be re-run at all), and fork is unsafe in a process with threads
(Streamlit, the browser's event loop).
If the worker dies or cannot start, the part is laid out and painted here instead and the next
report starts a fresh worker; an error in the document itself is raised as is.
"""

from __future__ import annotations

import atexit
import itertools
import os
import queue
import subprocess
import sys
import threading
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from config import tune_garbage_collector

if TYPE_CHECKING:
    from exports.pdf_layout import ChartSizes

NICENESS = 5
"""The worker yields the CPU to this process and the chart browser: its part is never the one the
report waits for, while a cold browser start is."""
RESULT_TIMEOUT_S = 300
"""A worker silent for this long on one part is stopped, and the part is made here instead."""
KEEP_LAID_OUT = 8
"""Laid-out parts a worker keeps waiting for their paint step; older ones (a report whose charts
failed, say) are dropped."""
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_CHILD = "import sys; from exports.pdf_worker import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"


class WorkerGone(RuntimeError):
    """The worker process exited or could not be started."""


class WorkerFailed(RuntimeError):
    """A job raised inside the worker (a weasyprint failure on the part's HTML)."""


@dataclass(frozen=True)
class RenderedPart:
    """One part's PDF and what its fetcher did (URLs served and refused)."""

    pdf: bytes
    served: tuple[str, ...]
    refused: tuple[str, ...]


class LaidOutPart:
    """A part laid out around its chart placeholders, waiting for its SVGs to be painted."""

    def __init__(self, html: str, chart_sizes: ChartSizes) -> None:
        # weasyprint (~0.5 s to import) is loaded where a part is laid out, not with this module:
        # a report starts its worker before anything else, and that must not wait for it.
        from exports.fetcher import TemplateOnlyFetcher
        from exports.pdf_layout import ChartsLater, lay_out

        self._charts = ChartsLater()
        self._fetcher = TemplateOnlyFetcher(self._charts)
        self.document = lay_out(html, chart_sizes, self._fetcher)

    def paint(self, svgs: dict[str, bytes]) -> RenderedPart:
        self._charts.set(svgs)
        pdf = self.document.write_pdf()
        return RenderedPart(pdf, tuple(self._fetcher.served), tuple(self._fetcher.refused))


def render_part(html: str, chart_sizes: ChartSizes, svgs: dict[str, bytes]) -> RenderedPart:
    """Lay out and paint a part in one go (the fallback when the worker is gone)."""
    return LaidOutPart(html, chart_sizes).paint(svgs)


# --- in the worker process ----------------------------------------------------------------------

_laid_out: OrderedDict[int, LaidOutPart] = OrderedDict()


def _lay_out_here(job_id: int, html: str, chart_sizes: ChartSizes) -> int:
    """Lay out a part and keep it for its paint step; returns its page count."""
    part = _laid_out[job_id] = LaidOutPart(html, chart_sizes)
    while len(_laid_out) > KEEP_LAID_OUT:
        _laid_out.popitem(last=False)
    return len(part.document.pages)


def _paint_here(job_id: int, svgs: dict[str, bytes]) -> RenderedPart:
    return _laid_out.pop(job_id).paint(svgs)


def _drop_here(job_id: int) -> None:
    _laid_out.pop(job_id, None)


def _warm_up() -> None:
    """Load the fonts once, so the first real job pays only for its layout."""
    render_part('<p style="font-family: \'DejaVu Sans\'">warm-up</p>', {}, {})


_OPERATIONS = {"warm_up": _warm_up, "lay_out": _lay_out_here, "paint": _paint_here, "drop": _drop_here}


def serve(read_fd: int, write_fd: int) -> None:
    """The worker's loop: (operation, request id, *arguments) in, (request id, ok, result or error)
    out; ends the process when its parent closes its end of the pipe."""
    requests, replies = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    os.nice(NICENESS)
    tune_garbage_collector()
    while True:
        try:
            operation, request_id, *arguments = requests.recv()
        except EOFError:
            # The parent is done: end without the interpreter's teardown of the laid-out parts
            # (~0.15 s that the parent's exit would wait for); replies are written unbuffered.
            os._exit(0)
        try:
            reply = (request_id, True, _OPERATIONS[operation](*arguments))
        except KeyError as error:
            reply = (request_id, False, KeyError(str(error)))
        except Exception as error:  # raised in the parent as a WorkerFailed with this description
            reply = (request_id, False, WorkerFailed(f"{type(error).__name__}: {error}"))
        replies.send(reply)


# --- in this process ----------------------------------------------------------------------------

class PdfWorker:
    """The process-wide worker."""

    _instance: PdfWorker | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._channel: _Channel | None = None
        self._ids = itertools.count(1)
        """Job and request ids: unique for the life of this process."""

    @classmethod
    def shared(cls) -> PdfWorker:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
                atexit.register(cls._instance.close)
            return cls._instance

    @property
    def process(self) -> subprocess.Popen | None:
        """The running worker process, if any (for tests and diagnostics)."""
        channel = self._channel
        return channel.process if channel is not None and channel.alive else None

    def start(self) -> None:
        """Start the worker in the background if it is not running; returns at once."""
        with self._lock:
            if self._channel is not None and self._channel.alive:
                return
            try:
                self._channel = _Channel.spawn()
            except OSError:
                self._channel = None  # jobs are then made in this process
                return
        self._request("warm_up")

    def lay_out(self, html: str, chart_sizes: ChartSizes) -> PartJob:
        """Start laying out a part in the worker; returns at once."""
        self.start()
        job_id = next(self._ids)
        return PartJob(self, job_id, html, chart_sizes, self._request("lay_out", job_id, html, chart_sizes))

    def close(self, kill: bool = False) -> None:
        """Stop the worker (also run at exit); a later job starts a new one."""
        with self._lock:
            channel, self._channel = self._channel, None
        if channel is not None:
            channel.close(kill)

    def _request(self, operation: str, *arguments) -> Future:
        """Queue one request (never blocks); its Future is resolved by the reply, or fails with
        WorkerGone."""
        channel = self._channel
        if channel is None:
            future: Future = Future()
            future.set_exception(WorkerGone("no layout worker is running"))
            return future
        return channel.request(next(self._ids), operation, arguments)


class _Channel:
    """One worker process and its two pipes. Requests go through a queue and a sender thread, so
    that a large part never blocks the caller while the worker is still starting (a pipe holds
    64 KB); a reader thread resolves each request's Future from the replies."""

    def __init__(self, process: subprocess.Popen, requests: Connection, replies: Connection) -> None:
        self.process = process
        self._requests, self._replies = requests, replies
        self._outgoing: queue.SimpleQueue = queue.SimpleQueue()
        self._pending: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._gone = False
        threading.Thread(target=self._send_requests, name="pdf-worker-send", daemon=True).start()
        threading.Thread(target=self._read_replies, name="pdf-worker-read", daemon=True).start()

    @classmethod
    def spawn(cls) -> _Channel:
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(to_child_read), str(from_child_write)],
                pass_fds=(to_child_read, from_child_write), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path}, cwd=PROJECT_ROOT)
        except OSError:
            for fd in (to_child_write, from_child_read):
                os.close(fd)
            raise
        finally:
            os.close(to_child_read)  # the child's ends
            os.close(from_child_write)
        return cls(process, Connection(to_child_write, readable=False), Connection(from_child_read, writable=False))

    @property
    def alive(self) -> bool:
        return not self._gone and self.process.poll() is None

    def request(self, request_id: int, operation: str, arguments: tuple) -> Future:
        future: Future = Future()
        with self._lock:
            if self._gone:
                future.set_exception(WorkerGone("the layout worker exited"))
                return future
            self._pending[request_id] = future
        self._outgoing.put((operation, request_id, *arguments))
        return future

    def close(self, kill: bool) -> None:
        self._outgoing.put(None)  # the sender closes the pipe after what is queued: the worker exits
        if kill:
            self.process.kill()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _send_requests(self) -> None:
        while (message := self._outgoing.get()) is not None:
            try:
                self._requests.send(message)
            except (OSError, ValueError):
                break  # the worker is gone; the reader fails what is pending
        self._requests.close()

    def _read_replies(self) -> None:
        while True:
            try:
                request_id, ok, value = self._replies.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.pop(request_id, None)
            if future is not None:
                future.set_result(value) if ok else future.set_exception(value)
        self._replies.close()
        with self._lock:
            self._gone = True
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(WorkerGone("the layout worker exited"))


class PartJob:
    """A part in the worker. Its SVGs are handed over with `paint(svgs)`, or by
    `paint_when_drawn(pending)` as soon as the browser has drawn this part's charts; then
    `result()`. `cancel()` if the report failed first (the worker then forgets the pages)."""

    def __init__(self, worker: PdfWorker, job_id: int, html: str, chart_sizes: ChartSizes,
                 laid_out: Future) -> None:
        self._worker, self._id, self._html, self._sizes = worker, job_id, html, chart_sizes
        self._laid_out = laid_out
        self._painted: Future | None = None
        self._svgs: dict[str, bytes] = {}
        self._handed_over = threading.Event()
        self._chart_error: BaseException | None = None
        self._cancelled = False
        self._here: RenderedPart | None = None
        """The part as made in this process, once the worker has failed it."""

    def paint(self, svgs: dict[str, bytes]) -> None:
        if not self._cancelled:
            self._svgs = {name: svgs[name] for name in self._sizes}
            self._painted = self._worker._request("paint", self._id, self._svgs)
        self._handed_over.set()

    def paint_when_drawn(self, pending) -> None:
        """Paint once the browser has drawn this part's charts (`PendingCharts.when_drawn`)."""
        pending.when_drawn(list(self._sizes), self._drawn)

    def _drawn(self, svgs: dict[str, bytes] | None, error: BaseException | None) -> None:
        if error is not None:
            self._chart_error = error
            self._handed_over.set()
        else:
            self.paint(svgs)

    def page_count(self) -> int:
        """Pages of the laid-out part (known before it is painted)."""
        try:
            return self._laid_out.result(RESULT_TIMEOUT_S)
        except (WorkerGone, TimeoutError):
            from exports.pdf_join import page_count

            return page_count(self.result().pdf)

    def result(self) -> RenderedPart:
        """The part's PDF from the worker, or made here if the worker is gone; a chart that could
        not be drawn raises its error."""
        if self._here is not None:
            return self._here
        if not self._handed_over.wait(RESULT_TIMEOUT_S):
            raise TimeoutError("the charts of a report part were not drawn in time")
        if self._chart_error is not None:
            raise self._chart_error
        try:
            self._laid_out.result(RESULT_TIMEOUT_S)
            if self._painted is not None:
                return self._painted.result(RESULT_TIMEOUT_S)
        except WorkerGone:
            pass
        except TimeoutError:
            self._worker.close(kill=True)
        except KeyError:
            pass  # the worker had dropped the laid-out pages (KEEP_LAID_OUT): lay out again here
        self._here = render_part(self._html, self._sizes, self._svgs)
        return self._here

    def cancel(self) -> None:
        self._cancelled = True
        if self._painted is None:
            self._worker._request("drop", self._id)
