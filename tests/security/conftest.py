"""Fixtures of the hostile-input suite (runnable alone: scripts/test.sh tests/security).

- databases on both backends (tests/storage/fixtures.py) and the bundle signing keys
  (tests/services/keys.py);
- `hostile_runs`: every hostile file run through every entry point that reads a table, once per
  session. Each entry point runs in its own child process (tests/security/entrypoints.py) limited
  to `ADDRESS_SPACE_MB` of address space, on a real SQLite database with one assessment, after a
  valid file that shows the entry point works at all. A file that crashes the child (an abort
  kills it; the parent cannot) leaves its results missing, which the tests report;
- `ui_db`, `draft`, `open_page`: the AppTest fixtures of tests/ui (a fresh SQLite database each);
- `secrets_file`: make Streamlit read its secrets from one file written by the test (and only
  from it), as a server started with ``--secrets.files FILE`` would;
- `chromium`, `page` (tests/conftest.py): the system Chromium driven by Playwright.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1.util import patch_config_options

from cli import scorecard
from tests.security import hostile
from tests.services.fixtures import *  # noqa: F403
from tests.services.keys import *  # noqa: F403
from tests.storage.fixtures import *  # noqa: F403
from tests.ui.conftest import draft, open_page, ui_db  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_SPACE_MB = 2048
CHILD_SECONDS = 150


def _run(*args: str) -> str:
    result = CliRunner().invoke(scorecard, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _with_date_panic(data: bytes) -> bytes:
    """An exported questionnaire workbook whose first section sheet gains a date cell of -1e308."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        styles = source.read("xl/styles.xml")
        xfs = re.search(rb'<cellXfs count="(\d+)">', styles)
        style = int(xfs[1])
        styles = styles.replace(xfs[0], b'<cellXfs count="%d">' % (style + 1)).replace(
            b"</cellXfs>", b'<xf numFmtId="14" applyNumberFormat="1"/></cellXfs>')
        for info in source.infolist():
            content = styles if info.filename == "xl/styles.xml" else source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                content = content.replace(b"</sheetData>", b'<row r="900"><c r="F900" s="%d"><v>-1e308</v></c></row></sheetData>' % style)
            target.writestr(info, content)
    return out.getvalue()


@pytest.fixture(scope="session")
def hostile_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Entry point → {"files": {file name: result}, "returncode", "stderr"}."""
    folder = tmp_path_factory.mktemp("hostile")
    env_patch = pytest.MonkeyPatch()
    env_patch.setenv("SCORECARD_DB_URL", f"sqlite:///{folder / 'scorecard.db'}")
    env_patch.delenv("SCORECARD_CONTENT_DIR", raising=False)
    try:
        _run("db", "upgrade")
        _run("site", "add", "Plant North", "--country", "DE", "--criticality", "high")
        assessment = _run("assessment", "create", "--site", "Plant North", "--scope", "IT+OT", "--as-of", "2026-03-31").strip()
        _run("questionnaire-workbook", "export", assessment, "-o", str(folder / "answers.xlsx"))
        exported = (folder / "answers.xlsx").read_bytes()
        files = {name: build() for name, build in {**hostile.WORKBOOKS, **hostile.TEXTS}.items()}
        files["inventory.csv"] = b"asset_id,name,criticality\nP-1,Press,high\nP-2,Robot,low\n"
        files["answers.csv"] = b"question_id,environment,current\nGOV-01,IT,3\n"
        files["huge-dimension.xlsx"] = hostile.huge_dimension(exported)
        files["stray-cell.xlsx"] = hostile.huge_dimension(exported, stray=True)
        files["workbook-date-panic.xlsx"] = _with_date_panic(exported)
        for name, content in files.items():
            (folder / name).write_bytes(content)
        (folder / "answers.xlsx").write_bytes(exported)
        workbooks, texts = list(hostile.WORKBOOKS), list(hostile.TEXTS)
        plan = {  # the workbook import first: the answers it was exported with are still the stored ones
            "workbook-import": ["answers.xlsx", *workbooks, "huge-dimension.xlsx", "stray-cell.xlsx", "workbook-date-panic.xlsx"],
            "evidence-check": ["inventory.csv", *workbooks, *texts],
            "evidence-import": ["inventory.csv", *workbooks, "open-quote.csv", "late-cp1252.csv", "late-nul.csv"],
            "responses-import": ["answers.csv", *workbooks, *texts[1:]],
            "score": ["answers.csv", *workbooks, *texts[1:]],
        }
        runs = {}
        for entry, names in plan.items():
            command = [sys.executable, "-m", "tests.security.entrypoints", str(ADDRESS_SPACE_MB), entry,
                       *(str(folder / n) for n in names)]
            try:
                child = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_SECONDS,
                                       env={**os.environ, "SECURITY_ASSESSMENT": assessment})
                stdout, stderr, code = child.stdout, child.stderr, child.returncode
            except subprocess.TimeoutExpired as stalled:  # what it reported before it stalled
                stdout, code = (stalled.stdout or b"").decode(), f"still running after {CHILD_SECONDS} s"
                stderr = (stalled.stderr or b"").decode()
            results = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
            runs[entry] = {"files": {r["file"]: r for r in results}, "planned": names, "returncode": code,
                           "stderr": stderr[-3000:]}
        return runs
    finally:
        env_patch.undo()


@pytest.fixture
def secrets_file(tmp_path: Path) -> Iterator[Callable[[str | bytes], Path]]:
    """`secrets_file(content)` writes `content` to a secrets.toml and makes it the app's only
    secrets file (a fresh, unparsed st.secrets, as in a newly started server)."""
    path = tmp_path / "deploy" / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True)
    # st.secrets is the process-wide store st.login and st.user read too: start it unparsed, and
    # leave it unparsed for the next test (it caches what it read).
    secrets_singleton._reset()  # noqa: SLF001 - no public way to forget parsed secrets

    def write(content: str | bytes) -> Path:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    try:
        with patch_config_options({"secrets.files": [str(path)]}):
            yield write
    finally:
        secrets_singleton._reset()  # noqa: SLF001 - see above
