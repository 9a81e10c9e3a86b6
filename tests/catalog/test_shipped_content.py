"""Every shipped content file loads and cross-checks (new files are picked up automatically)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.loader import assemble, content_files, label_for, read_content_file
from catalog.validation import validate_content_root

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = content_files(ROOT)


@pytest.fixture(scope="module")
def shipped_problems() -> dict:
    files = [read_content_file(p, label_for(p, ROOT)) for p in SHIPPED]
    _, problems = assemble(files)
    return problems


def test_shipped_content_exists() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SHIPPED}
    assert {
        "frameworks/nist-csf-2.0.yaml",
        "frameworks/cisa-cpg-2.0.yaml",
        "frameworks/mappings/cpg-2.0_to_csf-2.0.yaml",
        "frameworks/mappings/csf-1.1_to_csf-2.0.yaml",
    } <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_file_loads_and_cross_checks(path: Path, shipped_problems: dict) -> None:
    label = label_for(path, ROOT)
    assert read_content_file(path, label).model is not None
    assert [str(p) for p in shipped_problems.get(label, [])] == []


def test_whole_shipped_folder_validates() -> None:
    report = validate_content_root(ROOT)
    assert [str(p) for p in report.problems] == []
    assert report.counts["frameworks"] >= 2
