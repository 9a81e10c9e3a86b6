"""Coverage of a questionnaire over its frameworks (catalog.coverage), on the small fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog.coverage import framework_coverage, questionnaire_coverage
from catalog.loader import load_catalog
from cli import scorecard


@pytest.fixture(scope="module")
def mini(valid_root: Path):
    return load_catalog(valid_root)


def test_counts_per_kind_and_uncovered_ids(mini) -> None:
    cov = questionnaire_coverage(mini.questionnaire("mini"), mini.frameworks)
    assert set(cov) == {"mini-csf", "mini-cpg"}
    csf = cov["mini-csf"].as_dict()
    # Questions map GV.OC-01, PR.AA-03, PR.DS-11: every category and function has a covered child.
    assert csf["subcategories"] == {"total": 5, "covered": 3}
    assert csf["categories"] == {"total": 3, "covered": 3}
    assert csf["functions"] == {"total": 2, "covered": 2}
    assert csf["goals"] == {"total": 0, "covered": 0}
    assert csf["uncovered"] == ["GV.OC-02", "PR.AA-01"]
    assert csf["uncovered_reasons"] == {"GV.OC-02": "Stakeholder mapping is out of scope for plant assessments."}
    assert csf["unexplained"] == ["PR.AA-01"]
    cpg = cov["mini-cpg"].as_dict()
    assert cpg["goals"] == {"total": 3, "covered": 2}
    assert cpg["functions"] == {"total": 2, "covered": 1}
    assert cpg["uncovered"] == ["GV", "1.A"]


def test_a_category_is_uncovered_when_none_of_its_subcategories_is(mini) -> None:
    cov = framework_coverage(mini.frameworks["mini-csf"], {"PR.AA-01"})
    assert cov.by_kind["category"].covered == 1
    assert cov.by_kind["function"].covered == 1
    assert cov.uncovered == ("GV", "GV.OC", "GV.OC-01", "GV.OC-02", "PR.AA-03", "PR.DS", "PR.DS-11")
    assert cov.by_kind["subcategory"].pct == pytest.approx(20.0)


def test_nothing_referenced_covers_nothing(mini) -> None:
    cov = framework_coverage(mini.frameworks["mini-cpg"], set())
    assert cov.by_kind["goal"].covered == 0 and cov.by_kind["function"].covered == 0
    assert cov.by_kind["subcategory"].pct == 100.0  # nothing to cover


def test_coverage_command_json_and_table(valid_root: Path, use_content) -> None:
    use_content(valid_root)
    runner = CliRunner()
    result = runner.invoke(scorecard, ["coverage", "mini", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mini-csf"]["subcategories"] == {"total": 5, "covered": 3}
    assert data["mini-cpg"]["goals"] == {"total": 3, "covered": 2}
    table = runner.invoke(scorecard, ["coverage", "mini"])
    assert table.exit_code == 0
    assert "mini-csf   subcategories  3/5      60%" in table.stdout
    assert "GV.OC-02: Stakeholder mapping is out of scope" in table.stdout
    assert "PR.AA-01: (no reason given)" in table.stdout


def test_unknown_questionnaire_is_a_clean_error(valid_root: Path, use_content) -> None:
    use_content(valid_root)
    result = CliRunner().invoke(scorecard, ["coverage", "nope", "--json"])
    assert result.exit_code == 1
    assert "unknown questionnaire 'nope'" in result.stderr and "known: mini" in result.stderr
