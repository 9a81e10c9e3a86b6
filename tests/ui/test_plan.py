"""Journey 6 in AppTest: the Plan view of an assessment with three actions — the projection, leaving
actions out, a budget ceiling, saving and comparing named plans, editing an action (and a bad one
refused without a traceback), read-only for viewers and final assessments; the dashboard's path
to target."""

from __future__ import annotations

from datetime import date

import pytest

from services import answers, plan_edits
from services.assessments import finalize_assessment, load_assessment
from services.content import get_catalog
from tests.ui.conftest import ADMIN, VIEWER, texts

CATALOG = get_catalog()


@pytest.fixture
def planned(draft, ctx):
    """The draft with six answers at level 2 and three actions: two cheap, one dear."""
    questions = [q.id for q in ctx.catalog.questionnaire("manufacturing-it-ot").questions if "OT" in q.applies_to][:3]
    for qid in questions:
        for env in ("IT", "OT"):
            answers.save_response(ctx, ADMIN, draft.id, qid, env, {"current": 2}, expected_version=0)
    plan_edits.set_target_due(ctx, ADMIN, draft.id, date(2027, 3, 31))
    for i, (qid, cost, due) in enumerate(zip(questions, (5000, 8000, 90000),
                                             (date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 30)), strict=True)):
        answers.add_finding(ctx, ADMIN, draft.id, question_id=qid, environment=None, title=f"Action {i + 1} on {qid}",
                            owner="OT lead", due_date=due, plan={"promises": f"{qid} 4", "cost": cost})
    return draft


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.main.metric if m.label.startswith(label_start))


def _labelled(elements, label: str):
    return next(e for e in elements if e.label == label)


def _run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_plan_projects_and_leaving_actions_out_changes_it(planned, open_page, ctx) -> None:
    at = open_page("plan", assessment_id=planned.id)
    assert _metric(at, "Actions in this plan") == "3 of 3" and _metric(at, "Cost") == "103,000"
    assert [m.label for m in at.main.metric][2] == "Verified by 2027 Q2"
    everything = _metric(at, "Verified by")
    targets = next(d.value for d in at.main.dataframe if "Reached" in d.value.columns)
    assert targets["Target"].tolist() == ["Overall target"] and targets["Due"].tolist() == ["2027-03-31"]
    ranked = next(d.value for d in at.main.dataframe if "In plan" in d.value.columns)
    assert ranked["#"].tolist() == [1, 2, 3] and set(ranked["In plan"]) == {"✓"}
    dear = load_assessment(ctx, ADMIN, planned.id).findings[2]
    at.multiselect(key=f"plan.out.a{planned.id}").set_value([str(dear.id)])
    _run(at)
    assert _metric(at, "Actions in this plan") == "2 of 3" and _metric(at, "Cost") == "13,000"
    assert float(_metric(at, "Verified by")) < float(everything)
    ranked = next(d.value for d in at.main.dataframe if "In plan" in d.value.columns)
    assert ranked["In plan"].tolist().count("–") == 1


def test_a_budget_ceiling_keeps_the_best_value_first(planned, open_page) -> None:
    at = open_page("plan", assessment_id=planned.id)
    at.number_input(key=f"plan.budget.a{planned.id}").set_value(10000)
    _run(at)
    assert _metric(at, "Actions in this plan") == "1 of 3" and _metric(at, "Cost") == "5,000"


def test_save_a_named_plan_and_compare_it(planned, open_page, ctx) -> None:
    at = open_page("plan", assessment_id=planned.id)
    at.number_input(key=f"plan.budget.a{planned.id}").set_value(15000)
    _run(at)
    _labelled(at.main.text_input, "Save this selection as a named plan").set_value("Budget 2027")
    at.button(key=f"FormSubmitter:plan.save.a{planned.id}-Save plan").click()
    _run(at)
    (saved,) = plan_edits.list_scenarios(ctx, ADMIN, planned.id)
    assert (saved.name, len(saved.actions), saved.budget) == ("Budget 2027", 2, 15000.0)
    at.selectbox(key=f"plan.b.a{planned.id}").set_value("Budget 2027")
    _run(at)
    compared = next(d.value for d in at.main.dataframe if "Plan" in d.value.columns)
    assert compared["Plan"].tolist() == ["Every open action", "Budget 2027"]
    assert compared["Actions"].tolist() == [3, 2] and compared["Cost"].tolist() == [103000.0, 13000.0]


def test_edit_an_action_and_refuse_a_bad_one_without_a_traceback(planned, open_page, ctx) -> None:
    at = open_page("plan", assessment_id=planned.id)
    first = load_assessment(ctx, ADMIN, planned.id).findings[0]
    at.selectbox(key=f"plan.edit.pick.{planned.id}").set_value(first.id)
    _run(at)
    form = f"plan.edit.{planned.id}.{first.id}.{first.version}"
    _labelled(at.main.text_input, "Owner").set_value("Plant manager")
    _labelled(at.main.text_area, "Levels it brings answers to").set_value(f"{first.question_id} 5")
    at.button(key=f"FormSubmitter:{form}-Save action").click()
    _run(at)
    changed = load_assessment(ctx, ADMIN, planned.id).findings[0]
    assert (changed.owner, changed.promises[0].level, changed.version) == ("Plant manager", 5, 2)
    assert any("Action saved" in s for s in texts(at.main.success))
    form = f"plan.edit.{planned.id}.{first.id}.2"
    _labelled(at.main.text_area, "Levels it brings answers to").set_value("NOPE-1 OT 9")
    at.button(key=f"FormSubmitter:{form}-Save action").click()
    _run(at)
    assert any("was not saved" in e for e in texts(at.main.error))
    assert load_assessment(ctx, ADMIN, planned.id).findings[0].version == 2


def test_viewers_and_final_assessments_read_the_plan_only(planned, open_page, ctx) -> None:
    at = open_page("plan", actor=VIEWER, assessment_id=planned.id)
    assert "Your role may read this plan but not change it." in texts(at.main.caption)
    assert not [b for b in at.main.button if "Save action" in (b.label or "")]
    finalize_assessment(ctx, ADMIN, planned.id)
    at = open_page("plan", assessment_id=planned.id)
    assert any("is final, so its plan is read-only" in i for i in texts(at.main.info))
    assert _metric(at, "Actions in this plan") == "3 of 3"


def test_the_dashboard_draws_the_path_to_target(planned, open_page) -> None:
    at = open_page("dashboard", assessment_id=planned.id)
    at.main.segmented_control[0].set_value("assessment")
    _run(at)
    assert any(c.key and c.key.endswith("-path") for c in at.main.get("plotly_chart"))
    assert any("target" in c and "due 2027-03-31" in c for c in texts(at.main.caption))
    assert next(m for m in at.main.metric if m.label == "Target").delta == "due 2027-03-31"


def test_plan_of_the_enterprise_without_an_enterprise_assessment_says_so(planned, open_page) -> None:
    at = open_page("plan", assessment_id=planned.id)
    at.main.segmented_control[0].set_value("enterprise")
    at.run()
    assert [e.value for e in at.exception] == []
    assert any("no enterprise-wide assessment" in e for e in texts(at.main.error))
