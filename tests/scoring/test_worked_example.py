"""docs/methodology.md's worked example, reproduced number for number.

The inputs are read from the page's tables (and checked against the example's responses file);
every number the page shows is compared with the engine's result rounded to 2 decimals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence.metric_set import MetricResult, MetricSet
from scoring.model import Response, Scope, Scorecard
from services.responses_file import read_responses
from tests.scoring.conftest import AS_OF, DATA, run

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
NONE = "—"


def tables() -> dict[str, list[dict[str, str]]]:
    """Each `<!-- worked-example: NAME -->` table of the page as a list of {header: cell}."""
    found: dict[str, list[dict[str, str]]] = {}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        marker = re.fullmatch(r"<!-- worked-example: ([\w-]+) -->", line.strip())
        if not marker:
            continue
        rows = []
        for row in lines[i + 1:]:
            if not row.startswith("|"):
                break
            rows.append([cell.strip() for cell in row.strip().strip("|").split("|")])
        header, body = rows[0], rows[2:]
        found[marker.group(1)] = [dict(zip(header, cells, strict=True)) for cells in body]
    return found


TABLES = tables()


def _responses() -> list[Response]:
    out = []
    for row in TABLES["responses"]:
        current, target = row["Current"], row["Target given"]
        out.append(Response(
            question_id=row["Question"],
            environment=row["Env"],
            current=int(current) if current not in ("", "NA") else None,
            na=current == "NA",
            na_reason="Risk objectives are set centrally; the plant has no risk board" if current == "NA" else "",
            target=int(target) if target else None,
        ))
    return out


def _metrics() -> MetricSet:
    results = {}
    for row in TABLES["metrics"]:
        name = row["Metric"]
        results[name] = MetricResult(
            name=name, value=float(row["Overall"]), status="red", by_environment={"IT": float(row["IT"]), "OT": float(row["OT"])}
        )
    return MetricSet(as_of=AS_OF, metrics=results)


@pytest.fixture(scope="module")
def card(catalog) -> Scorecard:
    return run(catalog, _responses(), _metrics(), scope=Scope.IT_OT)


def _shown(value) -> str:
    return NONE if value is None else f"{value:.2f}"


def test_the_page_has_every_table():
    assert set(TABLES) == {"responses", "metrics", "levels", "nodes", "overall", "cpg", "cpg-pct", "gaps", "scenario", "scenario-metrics"}


def test_the_page_inputs_are_the_example_file(questionnaire):
    from_file = read_responses(DATA / "worked-example.csv", questionnaire, Scope.IT_OT)
    pick = ("question_id", "environment", "current", "na", "target")
    assert [r.model_dump(include=set(pick)) for r in from_file] == [r.model_dump(include=set(pick)) for r in _responses()]


def test_levels(card):
    by_pair = {(r.question_id, r.environment): r for r in card.responses}
    assert len(TABLES["levels"]) == len(card.responses)
    for row in TABLES["levels"]:
        rs = by_pair[(row["Question"], row["Env"])]
        shown = (rs.state, rs.claimed, rs.verified, rs.target)
        expected = (row["State"], *(None if row[c] == NONE else int(row[c]) for c in ("Claimed", "Verified", "Target")))
        assert shown == expected, row


def test_nodes(card):
    for row in TABLES["nodes"]:
        node_id, env = row["Node"], row["Env"]
        if node_id == "overall":
            t = card.overall if env == "combined" else card.by_environment[env]
        else:
            node = (card.subcategories | card.categories | card.functions)[node_id]
            t = node.combined if env == "combined" else node.by_environment[env]
        assert (_shown(t.claimed), _shown(t.verified), _shown(t.target)) == (row["Claimed"], row["Verified"], row["Target"]), row


def test_completion_and_confidence(card):
    for row in TABLES["overall"]:
        o = card.overall if row["Env"] == "combined" else card.by_environment[row["Env"]]
        assert (_shown(o.completion), _shown(o.confidence)) == (row["Completion"], row["Confidence"]), row


def test_cpg(card):
    assert {row["Goal"]: {"IT": row["IT"], "OT": row["OT"]} for row in TABLES["cpg"]} == {
        gid: g.status for gid, g in card.cpg_goals.items()
    }
    pct = {row["Env"]: row["% implemented"] for row in TABLES["cpg-pct"]}
    assert pct == {
        "IT": _shown(card.cpg_implemented_pct_by_environment["IT"]),
        "OT": _shown(card.cpg_implemented_pct_by_environment["OT"]),
        "combined": _shown(card.cpg_implemented_pct),
    }


def test_gaps(card):
    shown = [
        {
            "Rank": str(i), "Question": g.question_id, "Env": g.environment, "Target": str(g.target),
            "Verified": str(g.verified), "Gap": str(g.gap), "Priority": _shown(g.priority),
            "Capped": "yes" if g.cap_reasons else "no",
        }
        for i, g in enumerate(card.gaps, start=1)
    ]
    assert shown == TABLES["gaps"]


def test_the_one_cap(card):
    assert [(c.question_id, c.environment, c.value, c.threshold, c.claimed, c.verified) for c in card.caps] == [
        ("GOV-01", "IT", 78.0, "≥ 70 → up to 3", 4, 3)
    ]


def test_scenario(card):
    for row in TABLES["scenario"]:
        s = card.scenarios[row["Scenario"]]
        value = s.readiness if row["Env"] == "combined" else s.by_environment[row["Env"]]
        assert _shown(value) == row["Readiness"], row
    assert card.scenarios["ransomware"].metrics == {row["Metric"]: row["Status"] for row in TABLES["scenario-metrics"]}
