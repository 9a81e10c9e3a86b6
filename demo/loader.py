"""Load the demo manufacturer into a database through the same services the app and CLI use.

Per estate and quarter: create the first assessment (or copy the previous quarter forward), import
the answers as a responses file, import the six evidence registers as CSV files, update and add
findings, agree targets where the story needs them, submit for review and finalise; in the last
finalised quarter each estate also agrees its improvement plan (demo.plans). One plant also
has next quarter's assessment open as a draft (copied forward, answers marked as carried), so a
newcomer has an assessment in progress to work on. Idempotent:
when the demo sites already hold their assessments nothing happens; `if_empty` loads only into a
database with no sites and no assessments.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from demo import answers as demo_answers
from demo import history, registers
from demo import plans as demo_plans
from demo.story import (
    ADMIN_USER,
    DRAFT_AS_OF,
    DRAFT_ESTATE,
    ESTATES,
    ORGANISATION,
    PLANS,
    QUARTERS,
    Estate,
)
from errors import Problem, ScorecardError
from services import answers as answer_service
from services import plan_edits
from services.access import ENTERPRISE, Actor, require_admin
from services.assessment_scoring import score_assessment
from services.assessments import (
    copy_assessment,
    create_assessment,
    default_questionnaire,
    finalize_assessment,
    load_assessment,
    submit_for_review,
)
from services.context import Context
from services.evidence_imports import import_evidence
from services.sites import add_site, ensure_organisation, site_counts


class DemoSummary(BaseModel):
    loaded: bool
    reason: str
    assessments: int = 0
    evidence_rows: int = 0


def demo_state(ctx: Context) -> str:
    """'empty', 'loaded', 'partial' (demo sites without all their assessments) or 'other'."""
    names = [e.site for e in ESTATES if e.site]
    counts = site_counts(ctx, names)
    if not counts.sites and not counts.assessments:
        return "empty"
    if counts.named_sites == len(names):
        return "loaded" if counts.named_assessments >= len(names) * len(QUARTERS) else "partial"
    return "partial" if counts.named_sites else "other"


def load_demo(ctx: Context, actor: Actor, *, if_empty: bool = False, scale: float = 1.0,
              progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Fill the database with the demo organisation. `scale` shrinks the registers (tests)."""
    require_admin(actor, "load the demo organisation")
    state = demo_state(ctx)
    if state == "loaded":
        return DemoSummary(loaded=False, reason="the demo organisation is already loaded")
    if state == "partial":
        raise ScorecardError("the demo organisation is only partly loaded (an earlier load was interrupted)",
                             [Problem("database", "demo sites exist without all their assessments",
                                      "load the demo into an empty database")])
    if if_empty and state != "empty":
        return DemoSummary(loaded=False, reason="the database already holds data; the demo was not loaded")
    catalog = ctx.catalog
    questionnaire = catalog.questionnaire(default_questionnaire(catalog))
    say = progress or (lambda _message: None)
    if state == "empty":
        ensure_organisation(ctx, actor, ORGANISATION)
    admin = Actor(user=ADMIN_USER, role="admin")
    for estate in ESTATES:
        if estate.site:
            add_site(ctx, admin, estate.site, country=estate.country, criticality=estate.criticality)
    total_rows = count = 0
    for estate in ESTATES:
        estate = _scaled(estate, scale)
        say(f"demo: {estate.site or 'Enterprise IT'}")
        assessor = Actor(user=estate.assessor, role="assessor", sites=frozenset({estate.site or ENTERPRISE}))
        previous = None
        for quarter, as_of in enumerate(QUARTERS):
            if previous is None:
                current = create_assessment(ctx, assessor, site=estate.site, scope=estate.scope, as_of=as_of,
                                            questionnaire_id=questionnaire.id)
            else:
                current = copy_assessment(ctx, assessor, previous.id, as_of=as_of)
            items = demo_answers.answers(questionnaire, estate, quarter)
            _import_answers(ctx, assessor, current.id, items)
            total_rows += _import_evidence(ctx, assessor, estate, quarter, current.id)
            _track_findings(ctx, assessor, estate, quarter, current.id, questionnaire, items)
            if quarter == len(QUARTERS) - 1:
                _agree_plan(ctx, assessor, estate, current.id, questionnaire)
            submit_for_review(ctx, assessor, current.id)
            finalize_assessment(ctx, admin, current.id)
            previous, count = current, count + 1
        if estate.key == DRAFT_ESTATE:
            copy_assessment(ctx, assessor, previous.id, as_of=DRAFT_AS_OF)
            count += 1
    return DemoSummary(loaded=True, reason="loaded", assessments=count, evidence_rows=total_rows)


def _scaled(estate: Estate, scale: float) -> Estate:
    if scale == 1.0:
        return estate
    return dataclasses.replace(estate, assets=max(20, int(estate.assets * scale)),
                               access_paths=max(8, int(estate.access_paths * scale)))


def _import_answers(ctx: Context, actor: Actor, assessment_id: int, items) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.csv"
        path.write_bytes(demo_answers.responses_csv(items))
        answer_service.import_responses(ctx, actor, assessment_id, path)


def _import_evidence(ctx: Context, actor: Actor, estate: Estate, quarter: int, assessment_id: int) -> int:
    as_of = QUARTERS[quarter]
    inventory = registers.asset_inventory(estate, quarter, as_of)
    critical = [(a, e) for a, e, c in zip(inventory.asset_id, inventory.environment, inventory.criticality, strict=True)
                if c == "critical"]
    frames = {
        "asset_inventory": inventory,
        "access_paths": registers.access_paths(estate, quarter),
        "zone_boundaries": registers.zone_boundaries(estate, quarter, as_of),
        "exceptions": history.exceptions(estate, quarter),
        "exercises": history.exercises(estate, quarter),
        "restore_tests": history.restore_tests(estate, quarter, critical),
    }
    rows = 0
    for dataset, frame in frames.items():
        data = frame.to_csv(index=False).encode("utf-8")
        stored = import_evidence(ctx, actor, assessment_id, dataset, data, name=f"{estate.key}-{dataset}-{as_of}.csv")
        rows += stored.row_count
    return rows


def _agree_plan(ctx: Context, actor: Actor, estate: Estate, assessment_id: int, questionnaire) -> None:
    """The estate's improvement plan (demo.plans, demo.story.PLANS): its target's due date, a promise
    on every action carried forward, and one action per section with gaps."""
    story = PLANS[estate.key]
    plan_edits.set_target_due(ctx, actor, assessment_id, story.target_due)
    for finding in load_assessment(ctx, actor, assessment_id).findings:
        if finding.status in ("open", "in_progress"):
            cost, effort = demo_plans.carried_cost(estate, finding.question_id)
            answer_service.update_finding(ctx, actor, assessment_id, finding.id, {
                "promises": demo_plans.carried_promise(questionnaire, finding.question_id, finding.environment),
                "cost": cost, "effort_days": effort}, expected_version=finding.version)
    card = score_assessment(ctx, actor, assessment_id)
    for spec in demo_plans.section_actions(questionnaire, estate, story, card):
        answer_service.add_finding(ctx, actor, assessment_id, question_id=spec.question_id, environment=spec.environment,
                                   title=spec.title, owner=spec.owner, due_date=spec.due,
                                   plan={"promises": spec.promises, "evidence_metric": spec.evidence_metric,
                                         "evidence_value": spec.evidence_value, "cost": spec.cost,
                                         "effort_days": spec.effort_days})


def _track_findings(ctx: Context, actor: Actor, estate: Estate, quarter: int, assessment_id: int, questionnaire,
                    items) -> None:
    """Close carried findings whose answer reached its target; open findings for the new top gaps;
    after Lakeside's regression (Q5) agree recovery targets with due dates."""
    as_of = QUARTERS[quarter]
    level = {(a.question_id, a.environment): a.current for a in items}
    detail = load_assessment(ctx, actor, assessment_id)
    open_keys = set()
    for finding in detail.findings:
        question = questionnaire.question(finding.question_id)
        env = finding.environment or "IT"
        reached = (level.get((finding.question_id, env)) or 0) >= questionnaire.default_target(question, env)
        if reached and finding.status in ("open", "in_progress"):
            answer_service.update_finding(ctx, actor, assessment_id, finding.id, {"status": "done"},
                                          expected_version=finding.version)
        elif finding.status == "open" and quarter % 2 == 0:
            answer_service.update_finding(ctx, actor, assessment_id, finding.id, {"status": "in_progress"},
                                          expected_version=finding.version)
            open_keys.add((finding.question_id, finding.environment))
        else:
            open_keys.add((finding.question_id, finding.environment))
    for answer, target in demo_answers.largest_gaps(questionnaire, items, 3):
        if (answer.question_id, answer.environment) in open_keys:
            continue
        question = questionnaire.question(answer.question_id)
        answer_service.add_finding(ctx, actor, assessment_id, question_id=answer.question_id, environment=answer.environment,
                                   title=demo_answers.finding_title(question, answer.environment, target),
                                   owner=demo_answers.finding_owner(estate, answer.question_id),
                                   due_date=demo_answers.due(as_of, 2))
    if estate.key == "lakeside" and quarter == 4:
        for answer, target in demo_answers.largest_gaps(questionnaire, items, 3):
            answer_service.set_target(ctx, actor, assessment_id, answer.question_id, answer.environment, target,
                                      due_date=demo_answers.due(as_of, 2),
                                      reason="Recovery plan agreed with the plant manager after the Q4 regression")
