"""`tabular` sits below evidence, services and exports: it imports none of the project's packages
except `errors` and `config`, so every consumer can use it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"catalog", "evidence", "scoring", "storage", "services", "exports", "ui", "commands", "demo", "cli", "app"}


def test_tabular_imports_no_higher_layer() -> None:
    offenders = []
    for path in sorted((ROOT / "tabular").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                names = []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in PROJECT]
    assert offenders == []
