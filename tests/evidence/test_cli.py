"""`scorecard evidence check|template` and `scorecard metrics`, run through click on real files."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from cli import scorecard
from evidence.dataset import read_dataset
from evidence.schemas import DATASETS
from tests.evidence.test_metrics import EXPECTED, FILES


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(scorecard, list(map(str, args)), catch_exceptions=False)

    return invoke


def test_check_valid_file(run, evidence_data) -> None:
    out = run("evidence", "check", "asset_inventory", evidence_data / "inventory_messy.csv")
    assert out.exit_code == 0
    assert out.stdout.startswith("inventory_messy.csv: 4 row(s) of asset_inventory, all valid")
    assert "owner ← 'Asset Owner'" in out.stdout


def test_check_reports_problems_and_exits_1(run, evidence_data, tmp_path) -> None:
    out = run("evidence", "check", "asset_inventory", evidence_data / "inventory_errors.csv")
    assert out.exit_code == 1
    assert "  inventory_errors.csv row 3, column 'criticality': 'Hgh' is not one of critical, high, medium, low" in out.stdout
    assert "nothing would be imported" in out.stdout
    none_valid = run("evidence", "check", "asset_inventory", evidence_data / "inventory_errors.csv", "--keep-valid")
    assert none_valid.exit_code == 1  # every row has a problem: nothing to keep
    (tmp_path / "some.csv").write_text("asset_id,criticality\nA1,high\nA2,Hgh\n")
    kept = run("evidence", "check", "asset_inventory", tmp_path / "some.csv", "--keep-valid")
    assert kept.exit_code == 0 and "1 valid row(s) would be kept" in kept.stdout


def test_check_json(run, evidence_data) -> None:
    out = run("evidence", "check", "asset_inventory", evidence_data / "inventory_codes.csv",
              "--mapping", evidence_data / "inventory_codes.map.yaml", "--json")
    report = json.loads(out.stdout)
    assert out.exit_code == 0
    assert report["valid"] is True and report["total_rows"] == 3 and report["problems"] == []
    assert report["columns"]["criticality"] == "Crit"
    bad = json.loads(run("evidence", "check", "asset_inventory", evidence_data / "inventory_errors.csv", "--json").stdout)
    assert bad["problem_count"] == 9 and bad["problems"][1] == {
        "location": "inventory_errors.csv row 3, column 'criticality'",
        "message": "'Hgh' is not one of critical, high, medium, low",
        "hint": "did you mean 'high'?",
    }


def test_file_level_errors_are_clean_messages(run, evidence_data, tmp_path) -> None:
    out = run("evidence", "check", "asset_inventory", evidence_data / "binary.csv")
    assert out.exit_code == 1 and "binary, not text" in out.stderr and "Traceback" not in out.output
    broken = run("evidence", "check", "asset_inventory", evidence_data / "inventory_codes.csv", "--mapping", evidence_data / "mapping_broken.yaml")
    assert broken.exit_code == 1 and "mapping_broken.yaml line 2: columns.Crit" in broken.stderr
    missing = run("evidence", "check", "asset_inventory", tmp_path / "none.csv")
    assert missing.exit_code == 1 and "cannot read none.csv" in missing.stderr
    assert run("evidence", "check", "assets", tmp_path / "x.csv").exit_code == 2  # unknown dataset: usage error


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_templates_read_back(run, tmp_path, dataset) -> None:
    csv_path, xlsx_path = tmp_path / f"{dataset}.csv", tmp_path / f"{dataset}.xlsx"
    assert run("evidence", "template", dataset, "-o", csv_path).exit_code == 0
    assert run("evidence", "template", dataset, "--xlsx", "-o", xlsx_path).exit_code == 0
    for path in (csv_path, xlsx_path):
        result = read_dataset(path, dataset)
        assert result.ok and result.total_rows == 0 and list(result.columns) == list(DATASETS[dataset].field_names)


def test_xlsx_template_has_drop_downs(run, tmp_path) -> None:
    path = tmp_path / "inventory.xlsx"
    run("evidence", "template", "asset_inventory", "-o", path)  # .xlsx implies --xlsx
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["asset_inventory"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["D2"] == '"IT,OT"'  # environment
    assert lists["K2"] == '"critical,high,medium,low"'  # criticality
    assert workbook.sheetnames == ["asset_inventory", "Fields"]
    assert run("evidence", "template", "asset_inventory", "--xlsx", "-o", tmp_path / "x.csv").exit_code == 2


def test_metrics_json_shape_and_values(run, evidence_data) -> None:
    args = [a for d, f in FILES.items() for a in ("--evidence", f"{d}={evidence_data / f}")]
    out = run("metrics", *args, "--as-of", "2026-11-25", "--json")
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["as_of"] == "2026-11-25"
    for name, (value, by_environment, by_site) in EXPECTED.items():
        assert data["metrics"][name] == {**data["metrics"][name], "value": value, "by_environment": by_environment, "by_site": by_site}
        assert set(data["metrics"][name]) == {"value", "status", "by_environment", "by_site"}


def test_metrics_from_a_folder_with_a_mapping(run, evidence_data, tmp_path) -> None:
    shutil.copy(evidence_data / "inventory_codes.csv", tmp_path / "asset_inventory.csv")
    shutil.copy(evidence_data / "exercises.csv", tmp_path / "exercises.csv")
    (tmp_path / "notes.txt").write_text("not evidence")
    out = run("metrics", "--evidence-dir", tmp_path, "--mapping", f"asset_inventory={evidence_data / 'inventory_codes.map.yaml'}",
              "--as-of", "2026-11-25", "--json")
    metrics = json.loads(out.stdout)["metrics"]
    assert metrics["critical_asset_owner_pct"]["value"] == 100.0  # T-1 and T-3 are critical (code 1), both owned
    assert metrics["exercises_last_12_months"]["value"] == 3.0
    assert metrics["governed_access_pct"] == {"value": None, "status": "missing", "by_environment": {}, "by_site": {},
                                              "missing_reason": "no access_paths evidence: import the remote and privileged access paths file"}
    human = run("metrics", "--evidence-dir", tmp_path, "--mapping", f"asset_inventory={evidence_data / 'inventory_codes.map.yaml'}", "--as-of", "2026-11-25")
    assert "Critical assets with an owner" in human.stdout and "missing" in human.stdout
    assert "why: no access_paths evidence" in human.stdout


def test_metrics_refuses_files_with_problems_unless_keep_valid(run, evidence_data) -> None:
    evidence = f"asset_inventory={evidence_data / 'inventory_errors.csv'}"
    out = run("metrics", "--evidence", evidence, "--as-of", "2026-11-25")
    assert out.exit_code == 1 and "nothing computed" in out.stderr and "row 3, column 'criticality'" in out.stderr
    kept = run("metrics", "--evidence", evidence, "--as-of", "2026-11-25", "--keep-valid", "--json")
    assert kept.exit_code == 0 and "using the valid rows" in kept.stderr


@pytest.mark.parametrize(
    "args",
    [["--as-of", "2026-11-25"], ["--evidence", "assets=x.csv", "--as-of", "2026-11-25"], ["--evidence", "x.csv", "--as-of", "2026-11-25"],
     ["--evidence-dir", ".", "--as-of", "25/11/2026"]],
)
def test_metrics_usage_errors(run, args) -> None:
    assert run("metrics", *args).exit_code == 2


def test_metrics_mapping_without_file_and_twice_given(run, evidence_data, tmp_path) -> None:
    out = run("metrics", "--evidence", f"exercises={evidence_data / 'exercises.csv'}",
              "--mapping", f"asset_inventory={evidence_data / 'inventory_codes.map.yaml'}", "--as-of", "2026-11-25")
    assert out.exit_code == 1 and "mapping without a file" in out.stderr
    (tmp_path / "exercises.csv").write_text("exercise_id,date\n")
    (tmp_path / "exercises.xlsx").write_bytes(b"")
    out = run("metrics", "--evidence-dir", tmp_path, "--as-of", "2026-11-25")
    assert out.exit_code == 1 and "a second file for exercises" in out.stderr


def test_metrics_folder_without_evidence(run, tmp_path) -> None:
    (tmp_path / "notes.csv").write_text("a\n")
    out = run("metrics", "--evidence-dir", tmp_path, "--as-of", "2026-11-25")
    assert out.exit_code == 1 and "no file named after a dataset" in out.stderr
    assert run("metrics", "--evidence-dir", tmp_path / "nope", "--as-of", "2026-11-25").exit_code == 1
