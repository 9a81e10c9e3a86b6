"""The services context of the tests that use the mini content (tests/data/scoring/content):
`ctx` is the `db` fixture's database with that catalog and the system clock (import * in conftest)."""

from __future__ import annotations

import pytest

from services.context import Context
from tests.services.helpers import CATALOG


@pytest.fixture
def ctx(db) -> Context:
    return Context(db, CATALOG)
