"""Fixtures of the hostile-input suite (runnable alone: scripts/test.sh tests/security).

- `ui_db`, `draft`, `open_page`: the AppTest fixtures of tests/ui (a fresh SQLite database each).
- `secrets_file`: make Streamlit read its secrets from one file written by the test (and only
  from it), as a server started with ``--secrets.files FILE`` would.
- `chromium`, `page` (tests/conftest.py): the system Chromium driven by Playwright.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1.util import patch_config_options

from tests.storage.fixtures import sqlite_template  # noqa: F401 - fixture
from tests.ui.conftest import draft, open_page, ui_db  # noqa: F401 - fixtures


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
