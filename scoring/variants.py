"""One assessment's hypothetical variants, as the projection scores them: its own answers and
evidence with the promises of some done actions applied (scoring.plan_schedule).

No second formula: a variant is scored by the functions `scoring.score` is made of
(scoring.engine, caps, rollup, goals, overall), so its figures equal `score()` of the variant's
responses and metrics (tested property, tests/scoring/test_variants.py). What is saved is work
whose inputs did not change:
- a ResponseScore is a pure function of (question, environment, response, the question's evidence
  rules, the metric values those rules read) (scoring.caps.score_response), so a variant rescores
  only the pairs whose response changed and, when an evidence promise changed a metric, the pairs
  whose question has a rule reading a value of it that changed ("touched" pairs); every other pair
  keeps its score;
- a CSF leaf or CPG goal is a weighted mean of the answered responses mapped to it, and a parent
  the mean of its children: only the leaves and goals of touched pairs and the leaves' ancestors
  are recomputed (CsfRollup.rescore), adding the same terms in the same order, so the numbers are
  the same floats. The NodeScore `answered` counts depend on which pairs are answered only; a
  promise never changes that, and a variant where it did would be scored from scratch;
- `verified` (an action's value) reads the overall verified score alone, and `scorecard(...,
  headline=True)` (a point) builds only what a point reads (scoring.engine.scorecard_of).
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.models import Question
from evidence.metric_set import MetricSet
from scoring import rules
from scoring.applicability import applicable_pairs, index_responses
from scoring.caps import metric_value, rules_by_question, score_response
from scoring.engine import check_frameworks, response_scores, scorecard_of, verified_of
from scoring.goals import implemented_pct, score_goals
from scoring.model import NodeScore, ResponseScore, Scorecard
from scoring.overall import overalls
from scoring.plan_model import PlannedAction, PlanSubject
from scoring.plan_schedule import hypothetical_metrics, promised_levels, raised
from scoring.rollup import CsfRollup, Scores, node_score

PerEnv = dict[str, dict[str, Scores]]


class Variants:
    """Scores `subject` with any set of done actions applied (the actions must be its own)."""

    def __init__(self, subject: PlanSubject, policy: rules.Policy = rules.DEFAULT_POLICY) -> None:
        s = subject
        check_frameworks(s.questionnaire, s.csf, s.cpg)
        self.subject = subject
        self.policy = policy
        self.pairs = applicable_pairs(s.questionnaire, s.scope)
        self.position = {(q.id, env): i for i, (q, env) in enumerate(self.pairs)}
        self.indexed = index_responses(s.questionnaire, s.scope, s.responses)
        self.rules_of = rules_by_question(s.questionnaire)
        self.questions = {q.id: q for q in s.questionnaire.questions}
        self.reading: dict[str, list[int]] = {}
        """Metric name → positions of the pairs whose question has a rule reading it."""
        for i, (q, _) in enumerate(self.pairs):
            for metric in dict.fromkeys(rule.metric for rule in self.rules_of.get(q.id, [])):
                self.reading.setdefault(metric, []).append(i)
        self.at_leaf = _positions(self.pairs, _csf)
        """CSF node id → positions of the pairs whose question maps to it (so do `at_goal`'s)."""
        self.at_goal = _positions(self.pairs, _cpg)
        self.base = response_scores(s.questionnaire, s.scope, self.indexed, s.metrics)
        self.rollup = CsfRollup(s.csf, s.scope.environments)
        answered = [rs for rs in self.base if rs.state == "answered"]
        self.base_nodes = self.rollup.node_scores(answered, self.questions)
        self.base_counts = self.rollup.answered_counts(answered, self.questions)
        self._base_headline: Scorecard | None = None

    # --- the variant's response scores ----------------------------------------------------------

    def scores(self, done: Sequence[PlannedAction]) -> tuple[list[ResponseScore], MetricSet | None, list[int]]:
        """The ResponseScores (in `applicable_pairs` order) and metrics with `done` applied, and the
        positions of the touched pairs (in order)."""
        s = self.subject
        # The rules of scoring.plan_schedule, applied to the promised pairs only (the others keep
        # their response): `hypothetical_responses` would copy every response to change a few.
        changed = {}
        for pair, level in promised_levels(s, done).items():
            response = self.indexed.get(pair)
            if response is not None and (new := raised(response, level)) is not response:
                changed[pair] = new
        metrics = hypothetical_metrics(s, done)
        if not changed and metrics is s.metrics:
            return self.base, metrics, []
        touched = {self.position[pair] for pair in changed}
        if metrics is not s.metrics and s.metrics is not None and metrics is not None:
            for name, result in metrics.metrics.items():
                if result is not s.metrics.metrics.get(name):
                    # A pair reads one value of the metric (its environment's, else overall:
                    # scoring.caps.metric_value); where that value is unchanged, so is its score.
                    moved = {env for env in s.scope.environments
                             if metric_value(metrics, name, env) != metric_value(s.metrics, name, env)}
                    touched.update(i for i in self.reading.get(name, ()) if self.pairs[i][1] in moved)
        out = list(self.base)
        for i in touched:
            q, env = self.pairs[i]
            response = changed.get((q.id, env), self.indexed.get((q.id, env)))
            out[i] = score_response(s.questionnaire, q, env, response, self.rules_of.get(q.id, []), metrics)
        return out, metrics, sorted(touched)

    # --- what the projection reads ------------------------------------------------------------------

    def scorecard(self, done: Sequence[PlannedAction], *, headline: bool = False) -> Scorecard:
        """`score()` of the variant; `headline`: only what a point reads (scoring.engine.scorecard_of)."""
        scores, metrics, touched = self.scores(done)
        if headline and self._same_states(scores, touched):
            return self._headline(scores, touched)
        return self._scorecard_of(scores, metrics, headline)

    def verified(self, done: Sequence[PlannedAction]) -> float | None:
        """The variant's overall verified score: `self.scorecard(done).overall.verified`, cheaper."""
        scores, _, touched = self.scores(done)
        if self._same_states(scores, touched):
            per_env, _ = self._rescored(scores, touched)
        else:
            per_env = self.rollup.node_scores([rs for rs in scores if rs.state == "answered"], self.questions)
        return verified_of(self.rollup, per_env)

    # --- internals ------------------------------------------------------------------------------------

    def _scorecard_of(self, scores: list[ResponseScore], metrics: MetricSet | None, headline: bool) -> Scorecard:
        s = self.subject
        numbers = (self.base_nodes, self.base_counts) if scores is self.base else None
        return scorecard_of(s.questionnaire, s.csf, s.cpg, scores, metrics, scope=s.scope, as_of=s.as_of,
                            definitions=s.definitions, policy=self.policy, headline=headline, rollup=self.rollup,
                            numbers=numbers)

    def _same_states(self, scores: list[ResponseScore], touched: list[int]) -> bool:
        """Whether every touched pair is answered (or not) as in the assessment: then the node
        counts, and the set of responses each mean is taken over, are the assessment's."""
        return all(scores[i].state == self.base[i].state for i in touched)

    def _answered_at(self, scores: list[ResponseScore], touched: list[int], refs, at: dict[str, list[int]]
                     ) -> tuple[set[str], list[ResponseScore]]:
        """The nodes `refs(question)` (CSF leaves, with `at_leaf`, or CPG goals, with `at_goal`) the
        touched pairs map to, and every answered response mapped to one of them, in
        `applicable_pairs` order (the order the full pass adds them in)."""
        nodes = {ref for i in touched for ref in refs(self.pairs[i][0])}
        positions = sorted({i for node in nodes for i in at.get(node, ())})
        return nodes, [scores[i] for i in positions if scores[i].state == "answered"]

    def _rescored(self, scores: list[ResponseScore], touched: list[int]) -> tuple[PerEnv, set[str]]:
        leaves, answered = self._answered_at(scores, touched, _csf, self.at_leaf)
        return self.rollup.rescore(self.base_nodes, leaves, answered, self.questions)

    def _headline(self, scores: list[ResponseScore], touched: list[int]) -> Scorecard:
        """The headline Scorecard, built from the assessment's by recomputing what `touched` reaches."""
        base = self._base_headline
        if base is None:
            base = self._base_headline = self._scorecard_of(self.base, self.subject.metrics, True)
        if not touched:
            return base
        environments = self.subject.scope.environments
        per_env, dirty = self._rescored(scores, touched)
        overall, by_environment = overalls(scores, self.rollup.overall(per_env))
        goal_ids, answered = self._answered_at(scores, touched, _cpg, self.at_goal)
        goals = {**base.cpg_goals, **score_goals(self.subject.cpg, answered, self.questions, environments,
                                                 self.policy, only=goal_ids)}
        pct, pct_by_env = implemented_pct(goals, environments)
        return base.model_copy(update={
            "overall": overall, "by_environment": by_environment, "functions": self._nodes(base.functions, per_env, dirty),
            "categories": self._nodes(base.categories, per_env, dirty), "cpg_goals": goals, "cpg_implemented_pct": pct,
            "cpg_implemented_pct_by_environment": pct_by_env, "responses": tuple(scores)})

    def _nodes(self, before: dict[str, NodeScore], per_env: PerEnv, dirty: set[str]) -> dict[str, NodeScore]:
        """`before` with the NodeScores of the `dirty` nodes rebuilt from `per_env` (same counts)."""
        return {nid: node_score(self.rollup.by_id[nid], per_env[nid], self.base_counts.get(nid, 0)) if nid in dirty
                else node for nid, node in before.items()}


def _positions(pairs, refs) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, (q, _) in enumerate(pairs):
        for ref in dict.fromkeys(refs(q)):
            out.setdefault(ref, []).append(i)
    return out


def _csf(question: Question) -> tuple[str, ...]:
    return question.csf


def _cpg(question: Question) -> tuple[str, ...]:
    return question.cpg
