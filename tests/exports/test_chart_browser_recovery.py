"""The chart browser never hangs a report: a browser that stops answering is killed and replaced,
one that never starts fails with a clear error within its limit, and a closed browser's pipe
numbers are never handed to the next browser while an old reader may still use them.

Real Chromium, really frozen (SIGSTOP), and a real "browser" that never answers (a shell script).
"""

from __future__ import annotations

import gc
import os
import signal
import stat
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from errors import ScorecardError
from exports.svg import SvgRenderer

pytestmark = pytest.mark.slow


def _figure(label: str) -> go.Figure:
    return go.Figure(go.Bar(x=[label, "Plant B"], y=[2, 3]))


def _alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def _chromium_main(wrapper: int) -> int:
    """The Chromium browser process under choreographer's wrapper process `wrapper`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            args = (entry / "cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if parent == wrapper and "--remote-debugging-pipe" in args:
            return int(entry.name)
    raise AssertionError(f"no Chromium under process {wrapper}")


def test_a_frozen_browser_is_killed_and_the_charts_are_drawn_by_a_fresh_one():
    renderer = SvgRenderer(open_timeout_s=60, render_timeout_s=4)
    try:
        assert b"Plant A" in renderer.render({"first": _figure("Plant A")}, 400)["first"]
        frozen = renderer.browser_pid
        chromium = _chromium_main(frozen)
        os.kill(chromium, signal.SIGSTOP)  # the browser stops answering, as a wedged Chromium does
        started = time.monotonic()
        svgs = renderer.render({"second": _figure("Plant C"), "third": _figure("Plant D")}, 400)
        assert b"Plant C" in svgs["second"] and b"Plant D" in svgs["third"]
        assert renderer.restarts == 1
        assert renderer.browser_pid != frozen
        assert time.monotonic() - started < 4 + 60
        deadline = time.monotonic() + 20
        while (_alive(frozen) or _alive(chromium)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(frozen) and not _alive(chromium)
    finally:
        renderer.close()


def test_a_browser_that_never_answers_fails_the_charts_with_a_clear_error(tmp_path: Path):
    mute = tmp_path / "mute-browser"
    mute.write_text(f"#!/bin/sh\necho $$ >> {tmp_path / 'pids'}\nexec sleep 300\n")
    mute.chmod(mute.stat().st_mode | stat.S_IXUSR)
    renderer = SvgRenderer(browser_path=str(mute), open_timeout_s=1, render_timeout_s=2)
    try:
        started = time.monotonic()
        with pytest.raises(ScorecardError) as raised:
            renderer.render({"chart": _figure("Plant A")}, 400)
        assert time.monotonic() - started < 60
        problem = raised.value.problems[0]
        assert problem.location == "charts" and "did not start within 1 s" in problem.message
        pids = [int(line) for line in (tmp_path / "pids").read_text().split()]
        assert len(pids) == 2  # the first browser, then one fresh one
        assert not any(_alive(pid) for pid in pids)  # both killed, none left behind
    finally:
        renderer.close()


def test_a_closed_pipe_keeps_its_numbers_until_nothing_refers_to_it():
    from exports.chart_browser import RetiringPipe

    pipe = RetiringPipe()
    numbers = [pipe._read_from_browser, pipe._write_from_browser, pipe._read_to_browser, pipe._write_to_browser]
    pipe.close()
    fresh = os.pipe()
    try:
        assert not set(fresh) & set(numbers)  # a new pipe never gets a number an old reader may use
        for fd in numbers:
            assert stat.S_ISDIR(os.fstat(fd).st_mode)
        with pytest.raises(OSError):
            os.read(pipe._read_from_browser, 10)  # a late read fails as on a closed descriptor
        del pipe
        gc.collect()
        for fd in numbers:
            with pytest.raises(OSError):
                os.fstat(fd)  # released once the pipe is gone
    finally:
        for fd in fresh:
            os.close(fd)
