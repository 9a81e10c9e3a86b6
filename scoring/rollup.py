"""Rules 3–5: means up the CSF tree, and the same weighted means for CPG goals.

Mechanics only (policy is in rules.py):
- leaf (CSF subcategory, CPG goal) per environment = weighted mean, by question weight, of the
  answered responses mapped to it; none answered → None (no score, not zero);
- every parent per environment = plain mean of its scored children (category of subcategories,
  function of categories, overall of functions): an average of averages;
- combined IT+OT at every node = plain mean of the environment scores that exist.
Claimed, verified and target each go through the same arithmetic, over the same answered
responses, so verified ≤ claimed holds at every node whenever it holds per response.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from catalog.models import Environment, Framework, FrameworkNode, Question
from scoring.model import NodeScore, ResponseScore, Triple

# A triple of sums while accumulating: [weight sum, Σ w·claimed, Σ w·verified, Σ w·target].
Sums = list[float]
Scores = tuple[float | None, float | None, float | None]
NONE3: Scores = (None, None, None)


def mean(values: Iterable[float | None]) -> float | None:
    """Plain mean of the values that exist; None when none does."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def mean3(items: Iterable[Scores]) -> Scores:
    """Mean of claimed, verified and target separately (they are None together or not at all)."""
    rows = [s for s in items if s[0] is not None]
    if not rows:
        return NONE3
    n = len(rows)
    return (sum(r[0] for r in rows) / n, sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n)


@lru_cache(maxsize=8192)
def triple(scores: Scores) -> Triple:
    """The Triple of (claimed, verified, target); frozen, so equal ones are shared (most are empty)."""
    return Triple.model_construct(claimed=scores[0], verified=scores[1], target=scores[2])


def weighted_leaves(
    answered: Sequence[ResponseScore], questions: dict[str, Question], refs_of
) -> dict[tuple[str, Environment], Scores]:
    """Weighted mean per (leaf id, environment) over answered responses; `refs_of(question)` → leaf ids."""
    sums: dict[tuple[str, Environment], Sums] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for rs in answered:
        question = questions[rs.question_id]
        w = question.weight
        for ref in refs_of(question):
            acc = sums[(ref, rs.environment)]
            acc[0] += w
            acc[1] += w * rs.claimed
            acc[2] += w * rs.verified
            acc[3] += w * rs.target
    return {key: (s[1] / s[0], s[2] / s[0], s[3] / s[0]) for key, s in sums.items()}


def combine(by_env: dict[Environment, Scores]) -> Scores:
    """Combined IT+OT: mean of the environment scores that exist (rule 5)."""
    return mean3(by_env.values())


def node_score(node: FrameworkNode, by_env: dict[Environment, Scores], answered: int) -> NodeScore:
    return NodeScore.model_construct(
        id=node.id,
        title=node.title,
        combined=triple(combine(by_env)),
        by_environment={env: triple(s) for env, s in by_env.items()},
        answered=answered,
    )


KINDS = ("function", "category", "subcategory")


class CsfRollup:
    """Scores of every function, category and subcategory of a CSF-shaped framework.

    `node_scores` is the arithmetic alone (numbers per node and environment); `run` builds the
    NodeScores from it and `overall` the overall per environment, so a caller that needs only the
    headline (scoring.variants) goes through the same arithmetic without building NodeScores."""

    def __init__(self, framework: Framework, environments: Sequence[Environment]) -> None:
        self.environments = tuple(environments)
        self.nodes = framework.nodes
        self.children: dict[str, list[str]] = defaultdict(list)
        self.parent: dict[str, str | None] = {}
        for node in framework.nodes:
            self.parent[node.id] = node.parent
            if node.parent is not None:
                self.children[node.parent].append(node.id)
        self.functions = [n.id for n in self.nodes if n.kind == "function"]
        self.kind = {n.id: n.kind for n in self.nodes}
        self.by_id = {n.id: n for n in self.nodes}

    def ancestors(self, node_id: str) -> list[str]:
        out, parent = [], self.parent.get(node_id)
        while parent is not None:
            out.append(parent)
            parent = self.parent.get(parent)
        return out

    def node_scores(
        self, answered: Sequence[ResponseScore], questions: dict[str, Question]
    ) -> dict[str, dict[Environment, Scores]]:
        """(claimed, verified, target) of every node per environment: leaves are weighted means of
        their answered responses, every parent the plain mean of its scored children."""
        leaves = weighted_leaves(answered, questions, lambda q: q.csf)
        per_env: dict[str, dict[Environment, Scores]] = {}
        # Frameworks list parents before children; walk backwards so children are done first.
        for node in reversed(self.nodes):
            if node.kind == "subcategory":
                per_env[node.id] = self._leaf(leaves, node.id)
            else:
                per_env[node.id] = self._parent(per_env, node.id)
        return per_env

    def rescore(
        self, per_env: dict[str, dict[Environment, Scores]], leaf_ids: Iterable[str],
        answered: Sequence[ResponseScore], questions: dict[str, Question],
    ) -> tuple[dict[str, dict[Environment, Scores]], set[str]]:
        """`node_scores` after the answers mapped to `leaf_ids` changed, and the ids it recomputed
        (those leaves and their ancestors; the other nodes are `per_env`'s). `answered`: every
        answered response mapped to those leaves (others may be there), in the order
        `node_scores` takes them, so each sum adds the same terms in the same order."""
        wanted = {i for i in leaf_ids if self.kind.get(i) == "subcategory"}
        leaves = weighted_leaves(answered, questions, lambda q: [ref for ref in q.csf if ref in wanted])
        out = dict(per_env)
        dirty = set(wanted)
        for leaf in wanted:
            out[leaf] = self._leaf(leaves, leaf)
            dirty.update(self.ancestors(leaf))
        for node in reversed(self.nodes):
            if node.kind != "subcategory" and node.id in dirty:
                out[node.id] = self._parent(out, node.id)
        return out, dirty

    def _leaf(self, leaves: dict[tuple[str, Environment], Scores], node_id: str) -> dict[Environment, Scores]:
        return {env: leaves.get((node_id, env), NONE3) for env in self.environments}

    def _parent(self, per_env: dict[str, dict[Environment, Scores]], node_id: str) -> dict[Environment, Scores]:
        kids = self.children.get(node_id, [])
        return {env: mean3(per_env[k][env] for k in kids) for env in self.environments}

    def overall(self, per_env: dict[str, dict[Environment, Scores]]) -> dict[Environment, Scores]:
        """The overall per environment: the plain mean of the scored functions."""
        return {env: mean3(per_env[f][env] for f in self.functions) for env in self.environments}

    def run(
        self, answered: Sequence[ResponseScore], questions: dict[str, Question], kinds: Sequence[str] = KINDS,
        numbers: tuple[dict[str, dict[Environment, Scores]], dict[str, int]] | None = None,
    ) -> tuple[dict[str, dict[str, NodeScore]], dict[Environment, Scores]]:
        """NodeScores by kind ("function", "category", "subcategory"; the kinds not in `kinds` are
        left empty) and the overall per env. `numbers`: `node_scores` and `answered_counts` of these
        answers when the caller has them already."""
        per_env, counts = numbers or (self.node_scores(answered, questions), self.answered_counts(answered, questions))
        out: dict[str, dict[str, NodeScore]] = {kind: {} for kind in KINDS}
        for node in self.nodes:
            if node.kind in kinds:
                out[node.kind][node.id] = node_score(node, per_env[node.id], counts.get(node.id, 0))
        return out, self.overall(per_env)

    def answered_counts(self, answered: Sequence[ResponseScore], questions: dict[str, Question]) -> dict[str, int]:
        """Distinct answered responses mapped at or below each node."""
        counts: dict[str, int] = defaultdict(int)
        for rs in answered:
            reached: set[str] = set()
            for ref in questions[rs.question_id].csf:
                reached.add(ref)
                reached.update(self.ancestors(ref))
            for node_id in reached:
                counts[node_id] += 1
        return counts
