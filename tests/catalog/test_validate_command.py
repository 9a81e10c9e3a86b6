"""`scorecard validate [PATH...]`: every problem at once on stdout, exit 1; a summary and exit 0 when valid."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import scorecard


def _run(*args: str):
    return CliRunner().invoke(scorecard, ["validate", *args])


def test_no_paths_validates_the_configured_content_folder(valid_root: Path, use_content) -> None:
    use_content(valid_root)
    result = _run()
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "5 file(s) valid: 2 frameworks, 1 crosswalks, 1 metric catalogs, 1 questionnaires"


def test_all_problems_of_all_paths_are_printed_then_exit_1(content_data: Path, valid_root: Path, use_content, monkeypatch) -> None:
    use_content(valid_root)
    monkeypatch.chdir(content_data)
    result = _run("broken/missing-level.yaml", "broken/duplicate-node.yaml", "broken/python-tag.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("broken/") and line.count(": ") >= 2 for line in lines)
    assert "4 problem(s) in 3 file(s)" in result.stderr
    assert "Traceback" not in result.output


def test_a_single_file_resolves_references_against_the_content_folder(valid_root: Path, use_content, tmp_path: Path) -> None:
    """A questionnaire alone names frameworks and metrics it does not contain; the folder supplies them."""
    use_content(valid_root)
    edited = tmp_path / "mini-edited.yaml"
    edited.write_text((valid_root / "questionnaires" / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = _run(str(edited))
    assert result.exit_code == 0, result.output
    assert "1 file(s) valid: 1 questionnaires" in result.stdout
    # The edited copy replaces the shipped 'mini' (same id): an error in it is reported, once.
    edited.write_text(edited.read_text(encoding="utf-8").replace("csf: [PR.DS-11]", "csf: [PR.DS-99]"), encoding="utf-8")
    result = _run(str(edited))
    assert result.exit_code == 1
    assert result.stdout.count("unknown subcategory 'PR.DS-99'") == 1


def test_a_folder_of_yaml_files_is_checked_in_context(valid_root: Path, use_content, tmp_path: Path) -> None:
    use_content(valid_root)
    drop = tmp_path / "drop"
    shutil.copytree(valid_root / "frameworks", drop)  # no frameworks/ inside: plain folder of files
    result = _run(str(drop))
    assert result.exit_code == 0, result.output
    assert "3 file(s) valid: 2 frameworks, 1 crosswalks" in result.stdout


def test_problems_in_other_content_files_are_counted_not_listed(valid_root: Path, use_content, tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(valid_root, root)
    (root / "questionnaires" / "broken.yaml").write_text("kind: questionnaire\nid: [\n", encoding="utf-8")
    use_content(root)
    result = _run(str(root / "frameworks" / "mini-csf.yaml"))
    assert result.exit_code == 0
    assert "1 problem(s) in other content files" in result.stderr


def test_missing_path_and_empty_folder_are_problems(tmp_path: Path, valid_root: Path, use_content) -> None:
    use_content(valid_root)
    (tmp_path / "empty").mkdir()
    result = _run(str(tmp_path / "nope.yaml"), str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.yaml'}: no such file or folder" in result.stdout
    assert f"{tmp_path / 'empty'}: no .yaml or .yml files in this folder" in result.stdout
