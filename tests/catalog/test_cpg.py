"""The CPG 2.0 catalog holds CISA's 34 goals as published, and the CPG → CSF crosswalk maps them all."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest

from catalog.loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
CPG_CSV_SHA256 = "ba679733170ece334df500126d9fce8c2114e87accc97c503858b0e2bfe68556"
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
ACRONYMS = {"MFA", "IT", "OT", "MSP"}


@pytest.fixture(scope="module")
def rows(reference_dir: Path) -> list[dict]:
    path = reference_dir / "cisa-cpg-2.0.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == CPG_CSV_SHA256
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(ROOT)


def _is_title_case(title: str) -> bool:
    """First letter of each word (and of each part after - / or '(') upper case, small words lower."""
    for i, word in enumerate(title.split()):
        if i > 0 and word.lower() in SMALL_WORDS:
            if word != word.lower():
                return False
            continue
        if word.strip("()").upper() in ACRONYMS:
            if word != word.upper():
                return False
            continue
        for part in re.split(r"[-/]", word.strip("()")):
            if part and not (part[0].isupper() or not part[0].isalpha()) or part[1:] != part[1:].lower():
                return False
    return True


def test_goal_ids_and_titles_match_cisa(rows, shipped) -> None:
    goals = shipped.frameworks["cisa-cpg-2.0"].of_kind("goal")
    assert [g.id for g in goals] == [r["goal_id"] for r in rows]
    assert len(goals) == 34
    for goal, row in zip(goals, rows, strict=True):
        assert goal.title.upper() == row["title_report_heading"].upper(), goal.id
        assert _is_title_case(goal.title), goal.title
    titles = {g.id: g.title for g in goals}
    assert titles["1.A"] == "Establish Cybersecurity Responsibilities"
    assert titles["3.F"] == "Implement Multifactor Authentication (MFA)"
    assert titles["3.M"] == "Disable Autorun & Macros by Default"


def test_goal_facts_match_cisa(rows, shipped) -> None:
    framework = shipped.frameworks["cisa-cpg-2.0"]
    index = framework.index()
    for row in rows:
        goal = index[row["goal_id"]]
        assert goal.text == row["outcome"]
        assert goal.risk_addressed == row["risk_addressed"]
        assert goal.parent == row["csf_function"]
        assert goal.rating is not None
        assert (goal.rating.cost, goal.rating.impact, goal.rating.complexity) == (row["cost"], row["impact"], row["complexity"])
        assert goal.applies_to, goal.id
        assert 2 <= len(goal.recommended_actions) <= 4, goal.id
    assert [n.id for n in framework.of_kind("function")] == ["GV", "ID", "PR", "DE", "RS", "RC"]


def test_recommended_actions_are_our_own_words(rows, shipped) -> None:
    """No action repeats CISA's outcome or risk text (a cheap guard against pasted wording)."""
    for goal in shipped.frameworks["cisa-cpg-2.0"].of_kind("goal"):
        for action in goal.recommended_actions:
            assert goal.text not in action and goal.risk_addressed not in action
            assert len(set(action.split())) >= 8, action


def test_every_goal_is_mapped_to_csf_with_rationale(shipped) -> None:
    crosswalk = shipped.crosswalks["cpg-2.0-to-csf-2.0"]
    assert (crosswalk.source_framework, crosswalk.target_framework) == ("cisa-cpg-2.0", "nist-csf-2.0")
    assert crosswalk.authored_by == "Resilience Scorecard project"
    assert "no official machine-readable" in crosswalk.description
    goals = {g.id for g in shipped.frameworks["cisa-cpg-2.0"].of_kind("goal")}
    subcategories = {s.id for s in shipped.frameworks["nist-csf-2.0"].of_kind("subcategory")}
    assert {e.source for e in crosswalk.entries} == goals
    for entry in crosswalk.entries:
        assert entry.target in subcategories
        assert entry.relationship in {"equal", "subset", "superset", "intersect"}
        assert entry.rationale and "\n" not in entry.rationale
