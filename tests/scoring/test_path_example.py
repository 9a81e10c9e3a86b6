"""docs/methodology.md's path-to-target example, reproduced number for number.

The answers and metric are the page's first worked example; the agreed targets and the plan are
read from its `<!-- path-example: … -->` tables, promises through the same reader as the app's
(services.action_fields). Every number the page shows is compared with the projection, rounded as
the page rounds it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from scoring.model import Scope
from scoring.plan_model import PlannedAction, PlanSubject, TargetDue
from scoring.projection import Projector
from services.action_fields import read_promises
from tests.scoring.conftest import AS_OF
from tests.scoring.test_worked_example import TABLES as EXAMPLE
from tests.scoring.test_worked_example import _metrics, _responses

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
NONE = "—"


def tables() -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        marker = re.fullmatch(r"<!-- path-example: ([\w-]+) -->", line.strip())
        if not marker:
            continue
        rows = []
        for row in lines[i + 1:]:
            if not row.startswith("|"):
                break
            rows.append([cell.strip() for cell in row.strip().strip("|").split("|")])
        found[marker.group(1)] = [dict(zip(rows[0], cells, strict=True)) for cells in rows[2:]]
    return found


TABLES = tables()


def _actions() -> list[PlannedAction]:
    out = []
    for row in TABLES["actions"]:
        problems: list = []
        promises = read_promises(row["Promises"], problems)
        assert not problems, problems
        metric, value = (row["Evidence"].split() + [None, None])[:2] if row["Evidence"] else (None, None)
        out.append(PlannedAction(
            id=row["Action"], title=row["Action"], question_id=row["Question"], environment=row["Env"],
            promises=promises, evidence_metric=metric, evidence_value=float(value) if value else None,
            due=date.fromisoformat(row["Due"]), status=row["Status"], cost=float(row["Cost"]) if row["Cost"] else None))
    return out


@pytest.fixture(scope="module")
def projection(catalog):
    questionnaire = catalog.questionnaire("mini")
    subject = PlanSubject(
        questionnaire=questionnaire, csf=catalog.framework("mini-csf"), cpg=catalog.framework("mini-cpg"),
        responses=tuple(_responses()), metrics=_metrics(), scope=Scope.IT_OT, as_of=AS_OF,
        target_due=questionnaire.target_profile.due_date,
        target_dues=tuple(TargetDue(r["Question"], r["Env"], int(r["Target"]), date.fromisoformat(r["Due"]))
                          for r in TABLES["agreed"]),
        definitions=catalog.metric_definitions())
    return Projector([subject], _actions(), today=AS_OF).values()


def _shown(value, decimals: int = 2) -> str:
    return NONE if value is None else f"{value:.{decimals}f}"


def test_the_page_has_every_table():
    assert set(TABLES) == {"agreed", "actions", "schedule", "points", "targets", "goals", "roadmap"}
    assert EXAMPLE["responses"], "the path example builds on the first worked example's answers"


def test_plan_date_and_profile_due_date(catalog, projection):
    assert projection.today == AS_OF == date(2026, 11, 1)
    assert catalog.questionnaire("mini").target_profile.due_date == date(2027, 6, 30)
    assert projection.slip_days == {"": 32}


def test_schedule(projection):
    got = {a.id: (a.state, NONE if a.counts_on is None else a.counts_on.isoformat()) for a in projection.actions}
    assert got == {r["Action"]: (r["State"], r["Counts on"]) for r in TABLES["schedule"]}


def test_points(projection):
    rows = [{"Point": p.label, "Date": p.on.isoformat(), "Actions done": str(len(p.counted)), "Verified": _shown(p.verified),
             "IT": _shown(p.by_environment["IT"]), "OT": _shown(p.by_environment["OT"]), "GV": _shown(p.functions["GV"]),
             "PR": _shown(p.functions["PR"]), "CPG %": _shown(p.cpg_implemented_pct)} for p in projection.points]
    assert rows == TABLES["points"]


def test_targets(projection):
    rows = [{"Target": "overall" if t.kind == "overall" else f"{t.question_id} {t.environment}",
             "Level": _shown(t.target), "Today": _shown(t.today), "Due": t.due.isoformat(),
             "Reached": NONE if t.reached_on is None else t.reached_on.isoformat(), "Status": t.status}
            for t in projection.targets]
    assert rows == TABLES["targets"]


def test_goal_changes(projection):
    rows = [{"Goal": g.goal_id, "Env": g.environment, "Today": g.before, "With the plan": g.after, "From": g.on.isoformat()}
            for g in projection.goal_changes]
    assert rows == TABLES["goals"]


def test_roadmap(projection):
    assert projection.ranking == "per_cost"
    rows = [{"Rank": str(v.rank), "Action": v.id, "Adds": f"{v.gain:+.3f}", "Cost": f"{v.cost:.0f}",
             "Per 100k": _shown(v.gain_per_100k)} for v in projection.values]
    assert rows == TABLES["roadmap"]
