"""The bounded safe YAML reader accepts ordinary YAML features that hand-written content uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.yaml_safety import MAX_DEPTH, parse_yaml, read_yaml


def test_small_anchors_aliases_and_merge_keys_are_fine() -> None:
    text = "base: &b {cost: Low, impact: High}\nrating: {<<: *b, complexity: Simple}\nagain: *b\n"
    assert parse_yaml(text).data == {
        "base": {"cost": "Low", "impact": "High"},
        "rating": {"cost": "Low", "impact": "High", "complexity": "Simple"},
        "again": {"cost": "Low", "impact": "High"},
    }


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_not() -> None:
    assert parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH).data is not None
    with pytest.raises(yaml.YAMLError, match="nesting deeper"):
        parse_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_utf8_bom_is_accepted_and_lines_are_found(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffkind: framework\nnodes:\n  - id: GV\n    title: Gouvernance é\n".encode())
    parsed = read_yaml(path)
    assert parsed.data["nodes"][0]["title"] == "Gouvernance é"
    assert parsed.line_of(("nodes", 0, "title")) == 4
    assert parsed.line_of(("nodes", 5, "title")) == 3  # deepest existing node: the 'nodes' list
