"""docs/cli.md is generated from --help and must match the commands as they are."""

from __future__ import annotations

from click.testing import CliRunner

from cli import scorecard
from commands.docs import CLI_DOC, cli_reference


def test_cli_reference_is_up_to_date(project_root) -> None:
    shipped = (project_root / CLI_DOC).read_text(encoding="utf-8")
    assert shipped == cli_reference(scorecard), "run `scorecard docs cli` to regenerate docs/cli.md"


def test_every_command_is_documented() -> None:
    text = cli_reference(scorecard)
    for name in scorecard.all_commands():
        assert f"## `scorecard {name}`" in text


def test_check_flag_fails_on_a_stale_file(tmp_path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("old", encoding="utf-8")
    result = CliRunner().invoke(scorecard, ["docs", "cli", "-o", str(stale), "--check"])
    assert result.exit_code == 1 and "out of date" in result.output
    assert CliRunner().invoke(scorecard, ["docs", "cli", "-o", str(stale)]).exit_code == 0
    assert CliRunner().invoke(scorecard, ["docs", "cli", "-o", str(stale), "--check"]).exit_code == 0

