"""The layers of DESIGN.md, checked: the import contracts in pyproject.toml ([tool.importlinter])
hold for the code as it is, and each of them breaks when an import it forbids is planted in the
import graph, so none is a rule that can never fail."""

from __future__ import annotations

import ast
import subprocess
import sys
from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[2]
CONFIG = read_configuration(str(ROOT / "pyproject.toml"))
CONTRACTS = {c["id"]: c for c in CONFIG["contracts_options"]}
TYPES = {"forbidden": ForbiddenContract, "layers": LayersContract, "acyclic_siblings": AcyclicSiblingsContract}

PLANTED: dict[str, list[tuple[str, str]]] = {
    "layers": [("catalog.models", "services.content"), ("storage.snapshots", "exports.context"),
               ("evidence.metrics", "scoring.model"), ("services.reports", "ui.state")],
    "no-cycles": [("services.context", "services.reports"), ("catalog.content_catalog", "catalog.loader"),
                  ("ui.navigation", "ui.main")],
    "pure-engine": [("scoring.engine", "storage.engine"), ("evidence.metrics", "services.content"),
                    ("scoring.rollup", "streamlit"), ("evidence.dataset", "sqlalchemy")],
    "scoring-reads-nothing": [("scoring.rollup", "pathlib"), ("scoring.engine", "time"),
                              ("scoring.caps", "evidence.dataset")],
    "catalog-at-the-bottom": [("catalog.loader", "evidence.schemas"), ("catalog.models", "streamlit")],
    "tabular-stands-alone": [("tabular.reader", "catalog.models"), ("tabular.limits", "evidence.schemas")],
    "storage-below-services": [("storage.snapshots", "services.trend_series"), ("storage.engine", "streamlit")],
    "exports-render-the-view-model": [("exports.pdf", "storage.engine"), ("exports.charts", "sqlalchemy")],
    # The bypass this contract was written against: the dashboard listing assessments through the
    # assessments write module; and a report scoring through the finalising use case.
    "read-models-only-read": [("services.dashboard", "services.assessments"),
                              ("services.reports", "services.assessments"),
                              ("services.trend_series", "services.evidence_imports")],
    "streamlit-at-the-edge": [("services.dashboard", "streamlit"), ("commands.trend", "streamlit")],
    # The bypasses this contract was written against: a view reading evidence files itself, a
    # command formatting metrics itself, the demo counting rows with SQL, raw SQL in a view.
    "edges-go-through-services": [("ui.views.evidence", "evidence.dataset"), ("commands.evidence", "evidence.metrics"),
                                  ("demo.loader", "storage.tables"), ("ui.views.home", "sqlalchemy"),
                                  ("commands.assessment", "storage.engine"), ("ui.state", "catalog.loader")],
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    options = CONFIG["session_options"]
    return grimp.build_graph(*options["root_packages"], include_external_packages=True, cache_dir=None)


def _kept(contract_id: str, graph: grimp.ImportGraph) -> bool:
    options = CONTRACTS[contract_id]
    contract = TYPES[options["type"]](name=options["name"], session_options=CONFIG["session_options"],
                                      contract_options=options)
    return contract.check(deepcopy(graph), verbose=False).kept


def test_lint_imports_passes() -> None:
    """The command developers run: every contract kept (its report is the failure message)."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "pyproject.toml"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_every_contract_has_planted_violations() -> None:
    assert set(PLANTED) == set(CONTRACTS)


@pytest.mark.parametrize(("contract_id", "importer", "imported"),
                         [(c, a, b) for c, pairs in PLANTED.items() for a, b in pairs])
def test_a_planted_import_breaks_the_contract(graph, contract_id: str, importer: str, imported: str) -> None:
    assert importer in graph.modules and imported in graph.modules, "plant an import between modules that exist"
    assert _kept(contract_id, graph)
    planted = deepcopy(graph)
    planted.add_import(importer=importer, imported=imported)
    assert not _kept(contract_id, planted)


# --- The top-level modules, which the import linter cannot analyse (they are not packages) -----

PACKAGES = set(CONFIG["session_options"]["root_packages"])
TOP_LEVEL_IMPORTS = {"errors.py": set(), "config.py": set(), "cli.py": {"commands"}, "app.py": {"ui"}}
"""Which project packages each top-level module may import: errors and config are leaves that
every package imports, the CLI is its commands, the app is its ui."""


def _project_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & (PACKAGES | {"streamlit", "sqlalchemy", "cli", "app", "config", "errors"})


@pytest.mark.parametrize("module", sorted(TOP_LEVEL_IMPORTS))
def test_top_level_modules_import_only_their_own_layer(module: str) -> None:
    found = _project_imports(ROOT / module) - {"errors", "config"}
    assert found <= TOP_LEVEL_IMPORTS[module]
