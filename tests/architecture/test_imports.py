"""Architecture rules that keep the data flowing one way (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["catalog", "evidence", "scoring", "storage", "exports", "services", "commands", "demo"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES + ["cli.py"])
def test_only_app_and_ui_import_streamlit(package: str) -> None:
    files = [ROOT / package] if package.endswith(".py") else _python_files(package)
    offenders = [str(f.relative_to(ROOT)) for f in files if "streamlit" in _imports(f)]
    assert offenders == []


def test_scoring_reads_no_files_clock_database_or_ui() -> None:
    forbidden = {"streamlit", "sqlalchemy", "storage", "services", "exports", "evidence.readers", "os", "pathlib", "time"}
    offenders = []
    for f in _python_files("scoring"):
        bad = _imports(f) & forbidden
        if bad:
            offenders.append(f"{f.relative_to(ROOT)}: {sorted(bad)}")
    assert offenders == []
