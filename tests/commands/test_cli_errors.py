"""CLI mistakes end in a clear message and a non-zero exit, never a traceback."""

from __future__ import annotations

from click.testing import CliRunner

from cli import scorecard


def test_unwritable_output_path_is_a_clean_error_not_a_traceback(tmp_path) -> None:
    result = CliRunner().invoke(scorecard, ["evidence", "template", "asset_inventory",
                                            "-o", str(tmp_path / "missing" / "x.csv")])
    assert result.exit_code == 1
    assert "No such file or directory" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, OSError)


def test_out_of_range_assessment_id_is_a_usage_error() -> None:
    result = CliRunner().invoke(scorecard, ["assessment", "show", "99999999999999999999"])
    assert result.exit_code == 2 and "not in the range" in result.output
