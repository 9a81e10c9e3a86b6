"""Editing a plan beyond its actions: the overall target's due date and saved what-if plans.

Actions themselves are findings (services.answers.add_finding / update_finding); importing an
edited Plan sheet is services.plan_import. A what-if plan ("scenario") is analysis, not assessment
content: it may be saved for a final assessment, by anyone who may write the assessment's site
(the enterprise's: an admin or anyone with every site).
"""

from __future__ import annotations

from datetime import date

from errors import PermissionDeniedError, Problem, ScorecardError
from services.access import Actor, require_site_write
from services.context import Context
from storage import assessments as store
from storage import plan_scenarios
from storage.records import Assessment, PlanScenario

NAME_LIMIT = 200


def set_target_due(ctx: Context, actor: Actor, assessment_id: int, due: date | None) -> Assessment:
    """When the assessment's overall target is due (None: the questionnaire's target profile date)."""
    with ctx.write() as session:
        assessment = store.get(session, assessment_id)
        require_site_write(actor, assessment.site_name, "set target dates")
        return store.set_target_due(session, assessment_id, due, actor.user, ctx.now())


def save_scenario(ctx: Context, actor: Actor, assessment_id: int | None, name: str, actions: list[int], *,
                  budget: float | None = None, notes: str = "") -> PlanScenario:
    """Save (or replace) a named what-if plan of an assessment (None: of the enterprise)."""
    name = " ".join(name.split())
    problems = []
    if not name:
        problems.append(Problem("name", "blank", "name the plan, e.g. 'Budget 2027'"))
    elif len(name) > NAME_LIMIT:
        problems.append(Problem("name", f"{len(name)} characters", f"at most {NAME_LIMIT}"))
    if budget is not None and not budget >= 0:
        problems.append(Problem("budget", f"{budget} is not 0 or more", "leave it empty for no ceiling"))
    if problems:
        raise ScorecardError("the plan was not saved", problems)
    with ctx.write() as session:
        _may_write(actor, session, assessment_id)
        return plan_scenarios.save(session, assessment_id, name, [int(a) for a in actions], budget, notes,
                                   user=actor.user, now=ctx.now())


def list_scenarios(ctx: Context, actor: Actor, assessment_id: int | None) -> list[PlanScenario]:
    with ctx.read() as session:
        return plan_scenarios.list_for(session, assessment_id)


def delete_scenario(ctx: Context, actor: Actor, assessment_id: int | None, name: str) -> None:
    with ctx.write() as session:
        _may_write(actor, session, assessment_id)
        plan_scenarios.remove(session, assessment_id, name, user=actor.user, now=ctx.now())


def _may_write(actor: Actor, session, assessment_id: int | None) -> None:
    if assessment_id is None:
        if not (actor.is_admin or (actor.role == "assessor" and actor.all_sites)):
            raise PermissionDeniedError(f"{actor.user} ({actor.role}) may not save enterprise plans", [Problem(
                "role", "an enterprise plan spans every site", "ask an admin, or save the plan of one site's assessment")])
        return
    require_site_write(actor, store.get(session, assessment_id).site_name, "save plans")
