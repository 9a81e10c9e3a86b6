"""docs/architecture.md stays true: every module of the rule table defines the names it is credited
with, every file it names exists, and every package and import contract is described."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from importlinter.api import read_configuration

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CONFIG = read_configuration(str(ROOT / "pyproject.toml"))
ROW = re.compile(r"^\| (?P<rule>[^|]+) \| `(?P<module>[\w/]+\.py)` \| (?P<names>(?:`[\w.]+`(?:, )?)+) \|$", re.M)


def _rules() -> list[tuple[str, str, list[str]]]:
    table = DOC.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith(("| rule", "|---"))]
    parsed = [ROW.match(line) for line in rows]
    assert all(parsed), [line for line, m in zip(rows, parsed, strict=True) if m is None]
    return [(m["rule"], m["module"], re.findall(r"`([\w.]+)`", m["names"])) for m in parsed]


RULES = _rules()


def test_the_rule_table_is_not_empty() -> None:
    assert len(RULES) >= 30


@pytest.mark.parametrize(("rule", "module", "names"), RULES, ids=[r[0][:60] for r in RULES])
def test_each_rule_module_defines_the_named_function_or_constant(rule: str, module: str, names: list[str]) -> None:
    imported = importlib.import_module(module.removesuffix(".py").replace("/", "."))
    for name in names:
        found = imported
        for part in name.split("."):
            assert hasattr(found, part), f"{module} has no {name} ({rule})"
            found = getattr(found, part)


def test_every_file_the_page_names_exists() -> None:
    paths = set(re.findall(r"`((?:[\w-]+/)*[\w-]+\.(?:py|yaml|md|html|json))`", DOC))
    paths |= set(re.findall(r"`((?:[\w-]+/)+)`", DOC))  # folders
    missing = sorted(p for p in paths if "/" in p and not (ROOT / p).exists())
    assert missing == []


def test_every_package_and_contract_is_described() -> None:
    packages = CONFIG["session_options"]["root_packages"]
    assert all(f"| `{p}/`" in DOC or f"| `{p}/`," in DOC for p in packages), packages
    for contract in CONFIG["contracts_options"]:
        assert f"| `{contract['id']}` |" in DOC, contract["id"]
