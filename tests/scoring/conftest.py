"""Fixtures for the scoring tests: the mini content of tests/data/scoring/content and helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from catalog.content_catalog import Catalog
from catalog.loader import load_catalog
from catalog.models import Questionnaire
from evidence.metric_set import MetricResult, MetricSet
from scoring import score
from scoring.model import Response, Scope, Scorecard

DATA = Path(__file__).resolve().parents[1] / "data" / "scoring"
CONTENT = DATA / "content"
AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(CONTENT)


@pytest.fixture(scope="session")
def questionnaire(catalog: Catalog) -> Questionnaire:
    return catalog.questionnaire("mini")


def answer(question_id: str, environment: str, current=None, **kw) -> Response:
    """A Response; current "NA" marks it not applicable (with a reason unless given)."""
    if current == "NA":
        return Response(question_id=question_id, environment=environment, na=True, na_reason=kw.pop("na_reason", "not here"), **kw)
    return Response(question_id=question_id, environment=environment, current=current, **kw)


def metric_set(**metrics) -> MetricSet:
    """metric_set(name=75) or metric_set(name=(75, {"IT": 78, "OT": 72})): overall and per environment."""
    results = {}
    for name, spec in metrics.items():
        value, by_env = spec if isinstance(spec, tuple) else (spec, {})
        status = "missing" if value is None else "green"
        results[name] = MetricResult(name=name, value=value, status=status, by_environment=by_env)
    return MetricSet(as_of=AS_OF, metrics=results)


def run(catalog: Catalog, responses, metrics=None, scope: Scope = Scope.IT_OT, questionnaire=None) -> Scorecard:
    """Score with the mini frameworks; `questionnaire` may replace the mini one (e.g. other rules)."""
    q = questionnaire or catalog.questionnaire("mini")
    return score(
        q,
        catalog.framework("mini-csf"),
        catalog.framework("mini-cpg"),
        responses,
        metrics,
        scope=scope,
        as_of=AS_OF,
        definitions=catalog.metric_definitions(),
    )
