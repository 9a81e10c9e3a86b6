"""Starting the real app (`streamlit run app.py`) for browser tests, and stopping it.

Shared by tests/ui/browser (the demo database, local mode) and tests/security (sign-in, hostile
configurations): each passes its own environment, address and extra Streamlit options.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCORECARD = Path(sys.executable).with_name("scorecard")
START_TIMEOUT_S = 60
PORT_ATTEMPTS = 3
PORT_TAKEN = "is not available"
"""What Streamlit logs when its port is bound by another process."""


def app_env(db_url: str, **extra: str) -> dict[str, str]:
    """The test process's environment pointed at `db_url` with the shipped content."""
    env = dict(os.environ)
    env["SCORECARD_DB_URL"] = db_url
    env.pop("SCORECARD_CONTENT_DIR", None)
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def free_port(host: str = "127.0.0.1") -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:  # noqa: S310 - local URL
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT_S} s:\n{log.read_text()}")


@contextmanager
def running_app(env: dict[str, str], log: Path, *, address: str = "127.0.0.1", port: int | None = None,
                options: Sequence[str] = (), cwd: Path = ROOT, app: Path = ROOT / "app.py") -> Iterator[str]:
    """`streamlit run app.py` headless on `address` (a free port unless given); yields the URL the
    browser should open (on the address itself, or 127.0.0.1 for an all-interfaces address).
    Stopped (and waited for) on exit.

    A free port is only free until someone binds it: when another test process (an xdist worker)
    took it first, the server is started again on another one, at most `PORT_ATTEMPTS` times."""
    local = address if address not in ("", "0.0.0.0", "::") else "127.0.0.1"  # noqa: S104
    for attempt in range(1, PORT_ATTEMPTS + 1):
        chosen = port or free_port("::1" if ":" in address else "127.0.0.1")
        command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
                   "--server.address", address, "--server.port", str(chosen),
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *options]
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(_url(local, chosen), process, log)
            break
        except RuntimeError:
            _stop(process)
            if port is not None or attempt == PORT_ATTEMPTS or PORT_TAKEN not in log.read_text():
                raise
    try:
        yield _url(local, chosen)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
