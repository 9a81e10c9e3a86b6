"""Users add their own frameworks or questionnaires by dropping YAML files in; no code change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from catalog.loader import load_catalog
from cli import scorecard

ROOT = Path(__file__).resolve().parents[2]


def test_custom_framework_loads_from_scorecard_content_dir(content_data: Path, use_content) -> None:
    use_content(content_data / "custom")
    result = CliRunner().invoke(scorecard, ["catalog", "show", "acme-plant-baseline", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "ACME plant security baseline"
    assert [n["id"] for n in data["nodes"]] == ["B1", "B1.1", "B1.2"]
    assert CliRunner().invoke(scorecard, ["validate"]).exit_code == 0


def test_custom_framework_dropped_beside_the_shipped_ones(content_data: Path, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "frameworks", tmp_path / "frameworks")
    shutil.copytree(ROOT / "questionnaires", tmp_path / "questionnaires")
    shutil.copy(content_data / "custom" / "frameworks" / "acme-plant-baseline.yaml", tmp_path / "frameworks" / "acme.yml")
    catalog = load_catalog(tmp_path)
    assert {"nist-csf-2.0", "cisa-cpg-2.0", "acme-plant-baseline"} <= set(catalog.frameworks)
    assert catalog.framework("acme-plant-baseline").node("B1.2").applies_to == ("IT", "OT")


def test_hidden_and_non_yaml_files_are_ignored(content_data: Path, tmp_path: Path) -> None:
    shutil.copytree(content_data / "custom", tmp_path, dirs_exist_ok=True)
    (tmp_path / "frameworks" / ".editor-backup.yaml").write_text("kind: [broken", encoding="utf-8")
    (tmp_path / "frameworks" / "notes.txt").write_text("not content", encoding="utf-8")
    (tmp_path / "frameworks" / "folder.yaml").mkdir()
    assert set(load_catalog(tmp_path).frameworks) == {"acme-plant-baseline"}
