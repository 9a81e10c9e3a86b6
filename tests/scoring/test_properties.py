"""Properties of the engine over random answers and random evidence (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.loader import load_catalog
from scoring.applicability import applicable_pairs
from scoring.model import Response, Scope, Scorecard
from tests.scoring.conftest import CONTENT, metric_set, run

CATALOG = load_catalog(CONTENT)
PAIRS = [(q.id, env) for q, env in applicable_pairs(CATALOG.questionnaire("mini"), Scope.IT_OT)]
METRICS = ("critical_asset_documentation_pct", "governed_access_pct", "restore_success_pct")
EXAMPLES = settings(max_examples=60, deadline=None)

levels = st.integers(0, 5)
answer_kinds = st.one_of(
    st.none(),  # no row at all
    st.tuples(st.just("answered"), levels, st.none() | levels),
    st.tuples(st.just("unanswered"), st.none(), st.none() | levels),
    st.tuples(st.just("na"), st.none(), st.none() | levels),
)
percent = st.floats(0, 100, allow_nan=False)
metric_specs = st.none() | percent | st.tuples(percent, st.fixed_dictionaries({}, optional={"IT": percent, "OT": percent}))


@st.composite
def assessments(draw):
    kinds = draw(st.lists(answer_kinds, min_size=len(PAIRS), max_size=len(PAIRS)))
    responses = {}
    for (qid, env), kind in zip(PAIRS, kinds, strict=True):
        if kind is None:
            continue
        state, current, target = kind
        responses[(qid, env)] = Response(
            question_id=qid, environment=env, current=current, target=target, na=state == "na", na_reason="n/a" if state == "na" else ""
        )
    metrics = {name: spec for name in METRICS if (spec := draw(st.none() | metric_specs)) is not None}
    return responses, (metric_set(**metrics) if metrics else None)


def triples(card: Scorecard):
    """(where, claimed, verified, target) of every node, goal and overall of a scorecard."""
    for kind in ("functions", "categories", "subcategories", "cpg_goals"):
        for node_id, node in getattr(card, kind).items():
            yield (kind, node_id, "combined"), node.combined
            for env, t in node.by_environment.items():
                yield (kind, node_id, env), t
    yield ("overall",), card.overall
    for env, o in card.by_environment.items():
        yield ("overall", env), o


def all_values(card: Scorecard):
    for where, t in triples(card):
        yield where, "claimed", t.claimed
        yield where, "verified", t.verified
        yield where, "target", t.target
    for sid, s in card.scenarios.items():
        yield ("scenario", sid), "readiness", s.readiness
        for env, v in s.by_environment.items():
            yield ("scenario", sid, env), "readiness", v


@EXAMPLES
@given(assessments())
def test_every_score_is_within_0_and_5(case):
    responses, metrics = case
    card = run(CATALOG, list(responses.values()), metrics)
    for where, measure, value in all_values(card):
        assert value is None or 0 <= value <= 5, (where, measure, value)
    assert 0 <= card.overall.completion <= 1 and 0 <= card.overall.confidence <= 1


@EXAMPLES
@given(assessments())
def test_verified_never_exceeds_claimed(case):
    responses, metrics = case
    card = run(CATALOG, list(responses.values()), metrics)
    for where, t in triples(card):
        assert (t.verified is None) == (t.claimed is None), where
        if t.claimed is not None:
            assert t.verified <= t.claimed + 1e-9, where


@EXAMPLES
@given(assessments())
def test_a_cap_never_raises_a_score(case):
    responses, metrics = case
    capped = dict(((w, m), v) for w, m, v in all_values(run(CATALOG, list(responses.values()), metrics)))
    free = dict(((w, m), v) for w, m, v in all_values(run(CATALOG, list(responses.values()), None)))
    for key, value in capped.items():
        if value is not None:
            assert value <= free[key] + 1e-9, key


@EXAMPLES
@given(assessments(), st.data())
def test_raising_one_current_never_lowers_any_verified_score(case, data):
    responses, metrics = case
    raisable = [k for k, r in responses.items() if r.current is not None and r.current < 5]
    if not raisable:
        return
    key = data.draw(st.sampled_from(raisable))
    higher = dict(responses)
    higher[key] = responses[key].model_copy(update={"current": data.draw(st.integers(responses[key].current + 1, 5))})
    before = run(CATALOG, list(responses.values()), metrics)
    after = dict(((w, m), v) for w, m, v in all_values(run(CATALOG, list(higher.values()), metrics)))
    for where, measure, value in all_values(before):
        if measure in ("verified", "readiness") and value is not None:
            assert after[(where, measure)] >= value - 1e-9, where


@EXAMPLES
@given(assessments(), st.data())
def test_adding_an_na_response_changes_no_score(case, data):
    responses, metrics = case
    free = [k for k in PAIRS if k not in responses]
    if not free:
        return
    qid, env = data.draw(st.sampled_from(free))
    na = Response(question_id=qid, environment=env, na=True, na_reason="not in this plant")
    before = run(CATALOG, list(responses.values()), metrics)
    after = run(CATALOG, [*responses.values(), na], metrics)
    assert list(all_values(after)) == list(all_values(before))
    assert after.gaps == before.gaps
    assert {g: s.status for g, s in after.cpg_goals.items()} == {g: s.status for g, s in before.cpg_goals.items()}
    assert after.overall.not_applicable == before.overall.not_applicable + 1
