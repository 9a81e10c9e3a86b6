"""Issue 11 item 9: the browser that draws the report charts has no network and keeps the
same-origin policy.

A TCP listener on 127.0.0.1 stands in for the network: a figure names it (a layout image by
address and by name, a CSS paint server in a label), and it must see no connection while the
chart is still drawn. The running browser's command line is read back from
/proc: no resolver, a dead proxy even for loopback, no background services, and neither
``--disable-web-security`` nor ``--allow-file-access-from-files``. And a `scorecard report` run
under strace sends no DNS query and opens no connection to another host (before: about 90 DNS
queries for Google's update and service hosts).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import pytest

from exports.svg import SvgRenderer
from services.access import local_admin
from services.assessments import create_assessment
from services.context import Context, get_catalog
from services.sites import add_site
from storage.engine import Database
from tests.finalising import finalise
from tests.pdf_text import text as pdf_text
from tests.ui.browser.server import SCORECARD, app_env, run_cli
from ui import serving

pytestmark = pytest.mark.slow
ADMIN = local_admin("offline-test")
SYSCALL = re.compile(r"^\d+ (?P<call>connect|sendto|sendmsg|sendmmsg)\(\d+<(?P<proto>TCP|UDP)(?:v6)?:\[(?P<socket>[^>]*)\]>(?P<args>.*)$")
PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
ADDRESS = re.compile(r'inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"')


class Listener:
    """Accepts TCP connections on 127.0.0.1 and remembers the first bytes of each."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.port = self.socket.getsockname()[1]
        self.connections: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            connection.settimeout(2)
            try:
                self.connections.append(connection.recv(300))
            except OSError:
                self.connections.append(b"")
            connection.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    stand_in = Listener()
    yield stand_in
    stand_in.socket.close()


def _descendants(pid: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _chart_browser_command() -> list[str]:
    """The command line of this process's chart browser (Chromium's main process: the renderer's
    own child or its descendant, not another Chromium of this process such as Playwright's)."""
    opened = SvgRenderer.shared().browser_pid
    assert opened is not None, "the chart browser is not open"
    for pid in (opened, *_descendants(opened)):
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        if "chrom" in Path(args[0]).name and "--remote-debugging-pipe" in args and not any(a.startswith("--type=") for a in args):
            return args
    raise AssertionError("no chart browser among this process's children")


def _figure_naming(port: int) -> go.Figure:
    fig = go.Figure(go.Bar(x=[f'<span style="fill:url(http://127.0.0.1:{port}/paint.svg#p)">Plant A</span>', "Plant B"],
                           y=[2, 3], name="Verified"))
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        fig.add_layout_image(source=f"http://{host}/logo.png", x=0, y=1, sizex=0.2, sizey=0.2, xref="paper", yref="paper")
    fig.update_layout(title=f"Reaching out to {port}")
    return fig


def test_a_chart_naming_urls_is_drawn_without_reaching_them(listener: Listener) -> None:
    svg = SvgRenderer.shared().render({"hostile": _figure_naming(listener.port)}, 500)["hostile"].decode()
    time.sleep(1.5)  # anything the page was going to fetch has been asked for by now
    assert listener.connections == []
    assert "Plant B" in svg and f"Reaching out to {listener.port}" in svg and svg.count('class="point"') >= 2


def test_the_chart_browser_runs_offline_and_with_web_security() -> None:
    SvgRenderer.shared().render({"probe": go.Figure(go.Bar(x=["a"], y=[1]))}, 300)
    command = _chart_browser_command()
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in command  # no name resolves: no DNS leaves
    proxies = [a for a in command if a.startswith("--proxy-server=")]
    assert proxies == ["--proxy-server=http://127.0.0.1:9"] and "--proxy-bypass-list=<-loopback>" in command
    for quiet in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-domain-reliability", "--no-pings"):
        assert quiet in command
    assert "--disable-web-security" not in command and "--allow-file-access-from-files" not in command


def _traffic(trace: str) -> list[str]:
    """The lines of an ``strace -f -yy`` log where something goes on the network: a DNS query
    (a connect to port 53), a TCP connection to another host than this one, or a UDP datagram.
    (A UDP connect() alone sends nothing: Chromium uses one to ask the kernel for a route.)"""
    found = []
    for line in trace.splitlines():
        match = SYSCALL.match(line)
        if match is None:
            continue
        port, address = PORT.search(match["args"]), ADDRESS.search(match["args"])
        dns = match["call"] == "connect" and port is not None and port.group(1) == "53"
        tcp_out = (match["call"] == "connect" and match["proto"] == "TCP" and address is not None
                   and not serving.is_loopback(address.group(1)))
        datagram = match["call"] != "connect" and match["proto"] == "UDP"
        if dns or tcp_out or datagram:
            found.append(line)
    return found


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace (scripts/setup.sh --test installs it)")
def test_scorecard_report_resolves_no_name_and_connects_nowhere(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'scorecard.db'}"
    env = app_env(db_url, HOME=str(tmp_path))
    run_cli([str(SCORECARD), "db", "upgrade"], env)
    db = Database(db_url)
    add_site(Context(db, get_catalog()), ADMIN, "Plant West", country="DE", criticality="high")
    assessment = create_assessment(Context(db, get_catalog()), ADMIN, site="Plant West", scope="IT+OT", as_of=date(2026, 3, 31))
    finalise(Context(db, get_catalog()), ADMIN, assessment.id)
    db.dispose()
    log, output = tmp_path / "strace.log", tmp_path / "board.pdf"
    # --seccomp-bpf: only the traced calls stop the processes (Chromium makes many others), same trace.
    done = subprocess.run(["strace", "--seccomp-bpf", "-f", "-qq", "-yy", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-e", "signal=none",
                           "-o", str(log), str(SCORECARD), "report", "--site", "Plant West", "--format", "pdf", "-o", str(output)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    trace = log.read_text()
    assert "connect(" in trace  # the trace saw the processes (Chromium talks to its helpers over sockets)
    assert _traffic(trace) == []
    text = pdf_text(output.read_bytes())
    assert "CSF 2.0 functions: verified maturity" in text
