"""Fixtures for catalog tests: the fixture content folders under tests/data/content/."""

from __future__ import annotations

from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parents[1] / "data" / "content"
REFERENCE = CONTENT / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """Copies of the official OSCAL catalog and the CPG 2.0 table (see its README.md)."""
    return REFERENCE


@pytest.fixture(scope="session")
def content_data() -> Path:
    return CONTENT


@pytest.fixture(scope="session")
def valid_root() -> Path:
    """A small, valid content folder (mini-csf, mini-cpg, crosswalk, metrics, questionnaire 'mini')."""
    return CONTENT / "valid"


@pytest.fixture
def use_content(monkeypatch):
    """Point SCORECARD_CONTENT_DIR at a folder and forget cached catalogs (before and after)."""
    from services import context as service

    def use(root: Path) -> None:
        monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(root))
        service._catalog_of.cache_clear()

    yield use
    service._catalog_of.cache_clear()
