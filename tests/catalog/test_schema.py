"""The JSON Schema export: committed files are current, and the schema accepts shipped content."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from catalog.loader import MODELS_BY_KIND
from catalog.schema import content_schemas, schema_texts
from cli import scorecard

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schemas_are_current() -> None:
    for name, text in schema_texts().items():
        path = ROOT / "docs" / "schema" / name
        assert path.is_file(), f"run: scorecard catalog schema -o docs/schema ({name} missing)"
        assert path.read_text(encoding="utf-8") == text, f"run: scorecard catalog schema -o docs/schema ({name} stale)"


def test_one_schema_per_kind_forbidding_unknown_fields() -> None:
    schemas = content_schemas()
    assert set(schemas) == {f"{kind}.schema.json" for kind in MODELS_BY_KIND}
    question = schemas["questionnaire.schema.json"]["$defs"]["Question"]
    assert question["additionalProperties"] is False
    assert {"id", "section", "text", "levels"} <= set(question["required"])


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(scorecard, ["catalog", "schema", "-o", str(tmp_path)]).exit_code == 0
    written = json.loads((tmp_path / "framework.schema.json").read_text(encoding="utf-8"))
    assert written["$id"] == "framework.schema.json"
    assert runner.invoke(scorecard, ["catalog", "schema", "-o", str(tmp_path), "--check"]).exit_code == 0
    (tmp_path / "crosswalk.schema.json").unlink()
    stale = runner.invoke(scorecard, ["catalog", "schema", "-o", str(tmp_path), "--check"])
    assert stale.exit_code == 1 and "crosswalk.schema.json" in stale.stderr
