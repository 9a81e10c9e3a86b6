"""Properties of the projection over random plans (hypothesis), on the mini content:

- completing an action never lowers a projected score (overall, per environment, function,
  category, the CPG share; per site in an enterprise plan);
- a plan with no action (or none that counts) projects today's score, and only that;
- every projected point equals scoring, directly, the responses and evidence a reader would write
  down by hand for the actions done by then.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.loader import load_catalog
from evidence.metric_set import MetricSet
from scoring import score
from scoring.applicability import applicable_pairs
from scoring.model import Response, Scope, Scorecard
from scoring.plan_model import PlannedAction, PlanSubject, Promise
from scoring.projection import Projector
from tests.scoring.conftest import AS_OF, CONTENT, metric_set

CATALOG = load_catalog(CONTENT)
QUESTIONNAIRE = CATALOG.questionnaire("mini")
PAIRS = [(q.id, env) for q, env in applicable_pairs(QUESTIONNAIRE, Scope.IT_OT)]
METRICS = ("critical_asset_documentation_pct", "governed_access_pct")
EXAMPLES = settings(max_examples=40, deadline=None)
EPS = 1e-9

percent = st.floats(0, 100, allow_nan=False)
answers = st.lists(st.one_of(st.none(), st.integers(0, 5), st.just("NA")), min_size=len(PAIRS), max_size=len(PAIRS))
metric_sets = st.fixed_dictionaries({}, optional={m: st.tuples(percent, st.fixed_dictionaries(
    {}, optional={"IT": percent, "OT": percent})) for m in METRICS})


@st.composite
def actions(draw, prefix: str = "A", site: str = "") -> list[PlannedAction]:
    out = []
    for i in range(draw(st.integers(0, 5))):
        promised = draw(st.lists(st.tuples(st.sampled_from(PAIRS), st.booleans(), st.integers(0, 5)), max_size=3))
        evidence = draw(st.none() | st.tuples(st.sampled_from(METRICS), percent))
        question, env = draw(st.sampled_from(PAIRS))
        out.append(PlannedAction(
            id=f"{prefix}{i}", title=f"action {i}", question_id=question, environment=env, site=site,
            promises=tuple(Promise(question_id=q, environment=e if every else None, level=level)
                           for (q, e), every, level in promised),
            evidence_metric=evidence[0] if evidence else None, evidence_value=evidence[1] if evidence else None,
            due=AS_OF + timedelta(days=draw(st.integers(-200, 500))),
            status=draw(st.sampled_from(["open", "in_progress", "open", "done", "accepted"])),
            cost=draw(st.none() | st.floats(1, 100_000, allow_nan=False))))
    return out


def subject(levels, metrics, site: str = "", weight: float = 1.0) -> PlanSubject:
    responses = tuple(
        Response(question_id=q, environment=env, na=level == "NA", na_reason="n/a" if level == "NA" else "",
                 current=None if level in (None, "NA") else level)
        for (q, env), level in zip(PAIRS, levels, strict=True))
    return PlanSubject(questionnaire=QUESTIONNAIRE, csf=CATALOG.framework("mini-csf"), cpg=CATALOG.framework("mini-cpg"),
                       responses=responses, metrics=metric_set(**metrics) if metrics else None, scope=Scope.IT_OT,
                       as_of=AS_OF, site=site, weight=weight, definitions=CATALOG.metric_definitions())


def figures(card: Scorecard) -> dict[str, float | None]:
    out = {"overall": card.overall.verified, "cpg": card.cpg_implemented_pct}
    out.update({f"env {e}": o.verified for e, o in card.by_environment.items()})
    out.update({f"fn {k}": n.combined.verified for k, n in card.functions.items()})
    out.update({f"cat {k}": n.combined.verified for k, n in card.categories.items()})
    return out


def never_lower(before: dict, after: dict) -> None:
    for where, value in before.items():
        if value is not None:
            assert after[where] is not None and after[where] >= value - EPS, (where, value, after[where])


@EXAMPLES
@given(answers, metric_sets, actions(), st.data())
def test_completing_an_action_never_lowers_a_projected_score(levels, metrics, plan, data):
    projector = Projector([subject(levels, metrics)], plan, today=AS_OF)
    done = data.draw(st.lists(st.sampled_from(plan), unique_by=lambda a: a.id) if plan else st.just([]))
    extra = data.draw(st.sampled_from(plan) if plan else st.none())
    before, _ = projector.cards(done)
    after, _ = projector.cards([*done, extra] if extra else done)
    never_lower(figures(before), figures(after))


@EXAMPLES
@given(answers, metric_sets, actions(), st.data())
def test_including_an_action_never_lowers_any_point(levels, metrics, plan, data):
    projector = Projector([subject(levels, metrics)], plan, today=AS_OF)
    ids = [a.id for a in plan]
    chosen = frozenset(data.draw(st.lists(st.sampled_from(ids), unique=True)) if ids else [])
    extra = data.draw(st.sampled_from(ids)) if ids else None
    without = {p.on: p for p in projector.project(chosen).points}
    for point in projector.project(chosen | ({extra} if extra else set())).points:
        if point.on in without:
            before = without[point.on]
            for where in ("verified", "cpg_implemented_pct"):
                old, new = getattr(before, where), getattr(point, where)
                assert old is None or (new is not None and new >= old - EPS), (point.on, where, old, new)


@EXAMPLES
@given(answers, metric_sets, actions(prefix="N"), actions(prefix="S", site="South"), st.data())
def test_completing_an_action_never_lowers_an_enterprise_or_site_score(levels, metrics, north, south, data):
    other = data.draw(answers)
    sites = [subject(levels, metrics, "North", 4), subject(other, {}, "South", 2)]
    plan = [a.model_copy(update={"site": "North"}) for a in north] + south
    projector = Projector(sites, plan, today=AS_OF, enterprise=True)
    done = data.draw(st.lists(st.sampled_from(plan), unique_by=lambda a: a.id) if plan else st.just([]))
    extra = data.draw(st.sampled_from(plan) if plan else st.none())
    before, before_sites = projector.cards(done)
    after, after_sites = projector.cards([*done, extra] if extra else done)
    never_lower(figures(before), figures(after))
    for site in ("North", "South"):
        never_lower(figures(before_sites[site]), figures(after_sites[site]))


@EXAMPLES
@given(answers, metric_sets, actions())
def test_a_plan_with_no_counted_action_projects_todays_score(levels, metrics, plan):
    s = subject(levels, metrics)
    today = score(s.questionnaire, s.csf, s.cpg, s.responses, s.metrics, scope=s.scope, as_of=AS_OF,
                  definitions=s.definitions)
    idle = [a.model_copy(update={"status": "done" if i % 2 else "accepted"}) for i, a in enumerate(plan)]
    for projection in (Projector([s], [], today=AS_OF).project(), Projector([s], idle, today=AS_OF).project(),
                       Projector([s], plan, today=AS_OF).project(frozenset())):
        (point,) = projection.points
        assert point.verified == today.overall.verified and point.counted == ()
        assert point.functions == {k: n.combined.verified for k, n in today.functions.items()}
        assert point.cpg_implemented_pct == today.cpg_implemented_pct


def by_hand(s: PlanSubject, done: list[PlannedAction]) -> tuple[list[Response], MetricSet | None]:
    """The responses and metrics an analyst would write down for `done` (the methodology's rules 3–4)."""
    levels: dict[tuple[str, str], int] = {}
    for a in done:
        for p in a.promises:
            for env in ([p.environment] if p.environment else ["IT", "OT"]):
                levels[(p.question_id, env)] = max(levels.get((p.question_id, env), 0), p.level)
    responses = [r.model_copy(update={"current": max(r.current, levels.get((r.question_id, r.environment), 0))})
                 if r.current is not None and not r.na else r for r in s.responses]
    if s.metrics is None:
        return responses, None
    results = dict(s.metrics.metrics)
    for a in done:
        if a.evidence_metric is None or a.evidence_metric not in results:
            continue
        m = results[a.evidence_metric]
        by_env = dict(m.by_environment)
        if a.environment in by_env:
            by_env[a.environment] = max(by_env[a.environment], a.evidence_value)
            results[a.evidence_metric] = m.model_copy(update={"by_environment": by_env})
        elif a.environment is None:
            results[a.evidence_metric] = m.model_copy(update={
                "value": max(m.value, a.evidence_value),
                "by_environment": {e: max(v, a.evidence_value) for e, v in by_env.items()}})
        else:
            results[a.evidence_metric] = m.model_copy(update={"value": max(m.value, a.evidence_value)})
    return responses, s.metrics.model_copy(update={"metrics": results})


@EXAMPLES
@given(answers, metric_sets, actions())
def test_each_point_equals_scoring_its_hypothetical_answers(levels, metrics, plan):
    s = subject(levels, metrics)
    projection = Projector([s], plan, today=AS_OF).project()
    by_id = {a.id: a for a in plan}
    for point in projection.points:
        responses, hypothetical = by_hand(s, [by_id[i] for i in point.counted])
        card = score(s.questionnaire, s.csf, s.cpg, responses, hypothetical, scope=s.scope, as_of=AS_OF,
                     definitions=s.definitions)
        assert point.verified == card.overall.verified
        assert point.by_environment == {e: o.verified for e, o in card.by_environment.items()}
        assert point.categories == {k: n.combined.verified for k, n in card.categories.items()}
        assert point.cpg_status == {g: dict(x.status) for g, x in card.cpg_goals.items()}
        for action in projection.actions:
            counted = action.counts_on is not None and point.label != "today" and action.counts_on <= point.on
            assert (action.id in point.counted) == counted


def test_points_run_quarter_by_quarter_to_the_last_date():
    s = subject([3] * len(PAIRS), {})
    late = PlannedAction(id="x", title="x", question_id=PAIRS[0][0], environment=PAIRS[0][1],
                         promises=(Promise(question_id=PAIRS[0][0], level=5),), due=date(2027, 8, 14))
    points = Projector([s], [late], today=AS_OF).project().points
    assert [p.on for p in points] == [AS_OF, date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 30),
                                      date(2027, 9, 30)]
    assert [p.label for p in points] == ["today", "2026 Q4", "2027 Q1", "2027 Q2", "2027 Q3"]
    assert [len(p.counted) for p in points] == [0, 0, 0, 0, 1]
