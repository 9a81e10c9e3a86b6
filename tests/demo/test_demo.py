"""The demo organisation: deterministic, derived from the loaded questionnaire, idempotent, and
telling the story it promises (improvement, Lakeside's regression, ageing exceptions)."""

from __future__ import annotations

import pandas.testing as pdt
import pytest

from catalog.loader import load_catalog
from demo import answers, history, registers
from demo.loader import demo_state, load_demo
from demo.story import DRAFT_AS_OF, ESTATES, QUARTERS
from errors import PermissionDeniedError
from services.access import Actor
from services.assessments import list_assessments
from services.audit_log import list_audit
from services.context import Context, get_catalog
from services.plans import project
from services.trend_series import all_series, enterprise_rollup
from tests.services.helpers import ADMIN, CONTENT, VIEWER

MINI = load_catalog(CONTENT)
LAKESIDE = next(e for e in ESTATES if e.key == "lakeside")


def test_registers_and_answers_are_deterministic() -> None:
    for make in (lambda: registers.asset_inventory(LAKESIDE, 3, QUARTERS[3]), lambda: registers.access_paths(LAKESIDE, 3),
                 lambda: history.exceptions(LAKESIDE, 3), lambda: history.exercises(LAKESIDE, 3)):
        pdt.assert_frame_equal(make(), make())
    questionnaire = MINI.questionnaire("mini")
    assert answers.answers(questionnaire, LAKESIDE, 2) == answers.answers(questionnaire, LAKESIDE, 2)


@pytest.mark.parametrize("catalog", [MINI, get_catalog()], ids=["mini", "shipped"])
def test_answers_cover_exactly_the_applicable_pairs_of_the_loaded_questionnaire(catalog) -> None:
    (questionnaire,) = catalog.questionnaires.values()
    for estate in ESTATES:
        given = [(a.question_id, a.environment) for a in answers.answers(questionnaire, estate, 0)]
        expected = [(q.id, env) for q, env in answers.pairs(questionnaire, estate.scope)]
        assert given == expected


def test_history_is_consistent_from_quarter_to_quarter() -> None:
    early, late = history.exceptions(LAKESIDE, 1), history.exceptions(LAKESIDE, 4)
    same = early.merge(late, on="exception_id", suffixes=("_q2", "_q5"))
    assert len(same) == len(early)  # every exception of Q2 is still in the register in Q5
    assert (same.opened_q2 == same.opened_q5).all() and (same.title_q2 == same.title_q5).all()
    assert len(registers.asset_inventory(ESTATES[0], 5, QUARTERS[5])) >= 4000  # thousands of assets


def test_load_is_idempotent_and_tells_the_story(db) -> None:
    ctx = Context(db, get_catalog())  # the shipped content: the story is told in its metrics
    with pytest.raises(PermissionDeniedError):
        load_demo(ctx, VIEWER)
    audited = len(list_audit(ctx, ADMIN))
    summary = load_demo(ctx, ADMIN, scale=0.03)
    assert len(list_audit(ctx, ADMIN)) > audited, "loading the demo left no audit entry"  # tests/security/test_audit_trail.py
    assert summary.loaded and summary.assessments == len(ESTATES) * len(QUARTERS) + 1 and summary.evidence_rows > 0
    assert demo_state(ctx) == "loaded"
    again = load_demo(ctx, ADMIN)
    assert not again.loaded and "already loaded" in again.reason
    found = list_assessments(ctx, ADMIN)
    assert len(found) == 25
    drafts = [a for a in found if a.status != "final"]
    assert [(d.site_name, d.status, d.as_of) for d in drafts] == [("Riverside Castings", "draft", DRAFT_AS_OF)]
    assert {a.site_name for a in found} == {"Northfield Assembly", "Riverside Castings", "Lakeside Components", None}

    series = all_series(ctx, ADMIN)
    lake = series["Lakeside Components"]
    assert len(lake) == 6
    peak, trough = lake[2].overall.verified, lake[4].overall.verified
    assert trough < peak  # the regression
    assert series["Riverside Castings"][-1].overall.verified > series["Riverside Castings"][0].overall.verified
    over_90 = [p.metrics["high_risk_exceptions_over_90_days"] for p in lake]
    assert over_90[-1] > over_90[0]  # Lakeside leaves its high-risk exceptions open
    assert len(enterprise_rollup(ctx, ADMIN)) == 6

    # The plans a newcomer sees at once: one site on track, one slipping, one off track.
    enterprise = project(Context(db, get_catalog()), ADMIN, enterprise=True)
    verdicts = {t.site: t.status for t in enterprise.targets if t.kind == "overall"}
    assert verdicts["Northfield Assembly"] == "on_track"
    assert verdicts["Riverside Castings"] == "at_risk"  # promised for 2026-12-31, reached a quarter later
    assert verdicts["Lakeside Components"] == "off_track"
    assert enterprise.slip_days["Riverside Castings"] > 0  # its carried actions are overdue and counted late
    assert all(a.cost is not None for a in enterprise.actions if a.state in ("scheduled", "slipped"))
    draft = next(a for a in found if a.status == "draft")
    assert [t.status for t in project(Context(db, get_catalog()), ADMIN, draft.id).targets if t.kind == "overall"] == ["at_risk"]


def test_if_empty_leaves_a_database_with_data_alone(ctx) -> None:
    from services.sites import add_site

    add_site(ctx, ADMIN, "Existing plant", country="FR", criticality="low")
    summary = load_demo(ctx, Actor(user="root", role="admin"), if_empty=True)
    assert not summary.loaded and demo_state(ctx) == "other"
