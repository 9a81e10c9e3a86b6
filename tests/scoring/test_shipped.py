"""Every shipped questionnaire scores cleanly (no assumption about its exact content)."""

from __future__ import annotations

import random

import pytest

from catalog.loader import load_catalog
from evidence.metric_set import MetricResult, MetricSet
from scoring import score
from scoring.applicability import applicable_pairs
from scoring.model import Response, Scope
from tests.conftest import PROJECT_ROOT
from tests.scoring.conftest import AS_OF

CATALOG = load_catalog(PROJECT_ROOT)


@pytest.mark.parametrize("questionnaire_id", sorted(CATALOG.questionnaires))
def test_a_full_assessment_of_a_shipped_questionnaire(questionnaire_id):
    q = CATALOG.questionnaire(questionnaire_id)
    rng = random.Random(questionnaire_id)
    responses = [
        Response(question_id=question.id, environment=env, current=rng.randint(0, 5))
        for question, env in applicable_pairs(q, Scope.IT_OT)
    ]
    metrics = MetricSet(as_of=AS_OF, metrics={
        name: MetricResult(name=name, value=rng.uniform(0, 100), status="green") for name in CATALOG.metric_definitions()
    })
    card = score(q, CATALOG.framework(q.frameworks.csf), CATALOG.framework(q.frameworks.cpg), responses, metrics,
                 scope=Scope.IT_OT, as_of=AS_OF, definitions=CATALOG.metric_definitions())
    assert card.overall.completion == 1.0
    assert all(f.combined.claimed is not None for f in card.functions.values())  # every function is informed
    for node in [*card.functions.values(), *card.categories.values(), *card.subcategories.values()]:
        if node.combined.claimed is not None:
            assert 0 <= node.combined.verified <= node.combined.claimed <= 5
    assert set(card.scenarios) == {s.id for s in q.scenarios}
    assert card.cpg_implemented_pct is not None
