"""The projection's fast paths give exactly the numbers of the full path they replace (hypothesis).

scoring.variants rescores only what an action touches and builds only what is read;
scoring.projection values an action from its site's verified score and `roll_up_verified`. Here,
for random answers (levels, N/A, unanswered), metrics (overall and per environment, some absent)
and actions (level promises, evidence promises, both), on the mini content and on the shipped
questionnaire, each is compared with `scoring.score()` of the hypothetical responses and metrics
(plus `roll_up` / `roll_up_overall` for an enterprise), with == on the floats: no tolerance.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.loader import load_catalog
from evidence.metric_set import MetricResult, MetricSet
from scoring import score
from scoring.applicability import applicable_pairs
from scoring.enterprise import Member, roll_up, roll_up_overall
from scoring.model import Response, Scope, Scorecard
from scoring.plan_model import PlannedAction, PlanSubject, Promise
from scoring.plan_schedule import hypothetical_metrics, hypothetical_responses
from scoring.projection import VALUED, Projector, _site_goals
from scoring.variants import Variants
from tests.conftest import PROJECT_ROOT
from tests.scoring.conftest import AS_OF, CONTENT

MINI = load_catalog(CONTENT)
SHIPPED = load_catalog(PROJECT_ROOT)
CONTENTS = {"mini": (MINI, "mini"), "shipped": (SHIPPED, sorted(SHIPPED.questionnaires)[0])}
HEADLINE_LEFT_OUT = {"subcategories", "gaps", "scenarios", "caps"}

percent = st.floats(0, 100, allow_nan=False)


@st.composite
def subjects(draw, content: str, site: str = "", weight: float = 1.0) -> PlanSubject:
    catalog, qid = CONTENTS[content]
    q = catalog.questionnaire(qid)
    scope = draw(st.sampled_from(list(Scope)))
    responses = []
    for question, env in applicable_pairs(q, scope):
        level = draw(st.one_of(st.none(), st.just("NA"), st.integers(0, 5), st.just("absent")))
        if level == "absent":
            continue  # no response at all: unanswered as well
        responses.append(Response(question_id=question.id, environment=env, na=level == "NA",
                                  na_reason="not here" if level == "NA" else "",
                                  current=None if level in (None, "NA") else level,
                                  target=draw(st.none() | st.integers(0, 5))))
    metrics = None
    if draw(st.booleans()) or content == "shipped":
        names = sorted({rule.metric for rule in q.evidence_rules})
        chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        metrics = MetricSet(as_of=AS_OF, metrics={
            name: MetricResult(name=name, value=draw(st.none() | percent), status="green",
                               by_environment=draw(st.fixed_dictionaries({}, optional={"IT": percent, "OT": percent})))
            for name in chosen})
    return PlanSubject(questionnaire=q, csf=catalog.framework(q.frameworks.csf), cpg=catalog.framework(q.frameworks.cpg),
                       responses=tuple(responses), metrics=metrics, scope=scope, as_of=AS_OF, site=site, weight=weight,
                       definitions=catalog.metric_definitions())


@st.composite
def actions(draw, s: PlanSubject, prefix: str = "A") -> list[PlannedAction]:
    pairs = [(q.id, env) for q, env in applicable_pairs(s.questionnaire, s.scope)]
    names = sorted({rule.metric for rule in s.questionnaire.evidence_rules})
    out = []
    for i in range(draw(st.integers(0, 6))):
        promised = draw(st.lists(st.tuples(st.sampled_from(pairs), st.booleans(), st.integers(0, 5)), max_size=3))
        evidence = draw(st.none() | st.tuples(st.sampled_from(names), percent))
        question, env = draw(st.sampled_from(pairs))
        out.append(PlannedAction(
            id=f"{prefix}{i}", title=f"action {i}", question_id=question, environment=draw(st.none() | st.just(env)),
            site=s.site, promises=tuple(Promise(question_id=q, environment=e if one else None, level=level)
                                        for (q, e), one, level in promised),
            evidence_metric=evidence[0] if evidence else None, evidence_value=evidence[1] if evidence else None,
            due=AS_OF + timedelta(days=draw(st.integers(-200, 500))),
            status=draw(st.sampled_from(["open", "in_progress", "done"])),
            cost=draw(st.none() | st.floats(1, 100_000, allow_nan=False))))
    return out


def full(s: PlanSubject, done: list[PlannedAction]) -> Scorecard:
    """The path the fast ones replace: `score()` of the hypothetical responses and metrics."""
    return score(s.questionnaire, s.csf, s.cpg, hypothetical_responses(s, done), hypothetical_metrics(s, done),
                 scope=s.scope, as_of=s.as_of, definitions=s.definitions)


def variants_equal_full_scoring(data, content: str) -> None:
    s = data.draw(subjects(content))
    acts = data.draw(actions(s))
    variants = Variants(s)
    for done in ([], *([a] for a in acts), acts, data.draw(st.lists(st.sampled_from(acts), unique=True)) if acts else []):
        expected = full(s, done)
        assert variants.scorecard(done).model_dump() == expected.model_dump()
        headline = variants.scorecard(done, headline=True)
        assert headline.model_dump(exclude=HEADLINE_LEFT_OUT) == expected.model_dump(exclude=HEADLINE_LEFT_OUT)
        assert all(not getattr(headline, f) for f in HEADLINE_LEFT_OUT)
        assert variants.verified(done) == expected.overall.verified


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_variant_scores_as_score_does_on_the_mini_content(data):
    variants_equal_full_scoring(data, "mini")


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_a_variant_scores_as_score_does_on_the_shipped_questionnaire(data):
    variants_equal_full_scoring(data, "shipped")


def point_figures(card: Scorecard) -> dict:
    return {"verified": card.overall.verified, "target": card.overall.target,
            "by_environment": {e: o.verified for e, o in card.by_environment.items()},
            "functions": {k: n.combined.verified for k, n in card.functions.items()},
            "categories": {k: n.combined.verified for k, n in card.categories.items()},
            "cpg_implemented_pct": card.cpg_implemented_pct,
            "cpg_status": {g: dict(x.status) for g, x in card.cpg_goals.items()}}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_an_enterprise_projection_and_its_values_equal_full_scoring_and_roll_up(data):
    content = data.draw(st.sampled_from(["mini", "mini", "shipped"]))
    sites = [data.draw(subjects(content, site, weight)) for site, weight in (("North", 4), ("South", 2), ("East", 1))]
    acts = [a for s in sites for a in data.draw(actions(s, prefix=s.site[0]))]
    projection = Projector(sites, acts, today=AS_OF, enterprise=True).values()
    by_id = {a.id: a for a in acts}

    def cards(done):
        own = {s.site: full(s, [a for a in done if a.site == s.site]) for s in sites}
        return roll_up([Member(s.site, s.weight, own[s.site]) for s in sites], as_of=AS_OF), own

    for point in projection.points:
        rolled, own = cards([by_id[i] for i in point.counted])
        figures = point_figures(rolled)
        assert {k: getattr(point, k) for k in figures} == figures
        assert point.sites == {site: c.overall.verified for site, c in own.items()}
        assert point.site_cpg_status == {site: _site_goals(c) for site, c in own.items()}

    base_rolled, base = cards([])
    valued = {a.id for a in projection.actions if a.state in VALUED}
    assert {v.id for v in projection.values} == valued
    for value in projection.values:
        a = by_id[value.id]
        members = [Member(s.site, s.weight, full(s, [a]) if s.site == a.site else base[s.site]) for s in sites]
        after = roll_up_overall(members).verified
        site_after = next(m.scorecard for m in members if m.site == a.site).overall.verified
        assert value.gain == _gain(after, base_rolled.overall.verified)
        assert value.site_gain == _gain(site_after, base[a.site].overall.verified)


def _gain(after, before) -> float:
    return 0.0 if after is None or before is None else max(0.0, after - before)

