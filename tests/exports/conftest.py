"""Renders shared by the export tests: each PDF is made once per session (Chromium + weasyprint)."""

from __future__ import annotations

import pytest

from exports.pdf import render_report
from tests.exports import fixtures


@pytest.fixture(scope="session")
def site_report():
    return render_report(fixtures.context("site", "draft"), "a4")


@pytest.fixture(scope="session")
def letter_final_report():
    return render_report(fixtures.context("site", "final"), "letter")


@pytest.fixture(scope="session")
def enterprise_report():
    return render_report(fixtures.context("enterprise", "in_review"), "a4")


from tests.services.fixtures import *  # noqa: E402, F403  (`ctx`: that database with the mini content)
from tests.storage.fixtures import *  # noqa: E402, F403  (the `db` fixture for the service tests)
