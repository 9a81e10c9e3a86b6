"""docs/evidence.md stays true to the code and the content: every field, synonym and metric is
documented, and the threshold table quotes the thresholds of the shipped metrics file."""

from __future__ import annotations

import re

import pytest

from evidence.schemas import DATASETS
from services.content import get_catalog
from tests.conftest import PROJECT_ROOT

DOC = (PROJECT_ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_field_and_synonym_is_documented(dataset) -> None:
    section = DOC.split(f"### `{dataset}`", 1)[1].split("\n### ", 1)[0]
    for spec in DATASETS[dataset].fields:
        row = next((line for line in section.splitlines() if line.startswith(f"| `{spec.name}` |")), None)
        assert row is not None, spec.name
        assert all(s in row for s in spec.synonyms), spec.name
        assert all(f"`{v}`" in row for v in spec.allowed), spec.name


def test_threshold_table_matches_the_content() -> None:
    rows = dict(re.findall(r"^\| `([a-z0-9_]+)` \| ([^|]+\|[^|]+)\|", DOC.split("### Why these default thresholds", 1)[1], re.M))
    definitions = get_catalog().metric_definitions()
    assert set(rows) == set(definitions)
    for name, cells in rows.items():
        numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", cells)]
        assert numbers == [definitions[name].green, definitions[name].amber], name


def test_every_metric_has_a_definition_row() -> None:
    definitions_section = DOC.split("## Metrics", 1)[1].split("### Status", 1)[0]
    for name in get_catalog().metric_definitions():
        assert f"| `{name}` |" in definitions_section
