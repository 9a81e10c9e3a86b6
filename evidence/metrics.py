"""Compute the resilience metrics from normalised evidence frames.

    compute_metrics(datasets: Mapping[str, DataFrame], as_of: date,
                    definitions: Mapping[str, MetricDefinition]) -> MetricSet

- `datasets`: dataset name → normalised frame (`ValidatedDataset.frame`, or rows reloaded from
  storage: `conform` brings them back to canonical types). Absent datasets make their metrics
  `missing` (value None), never 0.
- `as_of`: rows dated after it are dropped first (evidence.as_of, the one as-of rule); every age
  and window is measured from it; the clock is never read.
- `definitions`: the metric definitions from content (`Catalog.metric_definitions()`); each one
  is computed by the calculation of the same name in `evidence.calculations`, which must combine
  the way the definition declares (`combine`), and judged with the RAG rule of
  `catalog.models.MetricDefinition` (`rag_status`).

Each result carries its tallies (evidence.tally): the value, the per-environment and the per-site
values are read from them, so a site's figure and its share of an enterprise figure come from the
same numbers. Values keep full precision; presentation rounds (`metric_set_json` rounds to 2
decimals).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from catalog.models import MetricDefinition
from errors import ContentError, EvidenceError, Problem
from evidence.aggregate import Computed, Context
from evidence.as_of import frames_as_of
from evidence.calculations import CALCULATIONS
from evidence.conform import conform
from evidence.metric_set import MetricResult, MetricSet, Status, Tallies
from evidence.missing import why_missing
from evidence.schemas import DATASETS


def rag_status(definition: MetricDefinition, value: float | None) -> Status:
    """green / amber / red by the definition's thresholds and direction; missing without a value."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "missing"
    return definition.rag(value)


def compute_metrics(
    datasets: Mapping[str, pd.DataFrame],
    as_of: date,
    definitions: Mapping[str, MetricDefinition],
) -> MetricSet:
    unknown = [name for name in datasets if name not in DATASETS]
    if unknown:
        raise EvidenceError("unknown dataset(s)", [Problem(n, f"known datasets: {', '.join(DATASETS)}") for n in unknown])
    _check_definitions(definitions)
    frames = frames_as_of({name: conform(frame, DATASETS[name]) for name, frame in datasets.items()
                           if frame is not None}, as_of)
    context = Context(frames, as_of)
    results: dict[str, MetricResult] = {}
    for name, definition in definitions.items():
        calculation = CALCULATIONS[name]
        if not all(d in frames for d in calculation.needs):
            results[name] = MetricResult(name=name, value=None, status="missing",
                                         missing_reason=why_missing(name, calculation.needs, frames, as_of))
            continue
        result = _result(name, definition, calculation.compute(context))
        if result.value is None:
            result = result.model_copy(update={"missing_reason": why_missing(name, calculation.needs, frames, as_of)})
        results[name] = result
    return MetricSet(as_of=as_of, metrics=results)


def _check_definitions(definitions: Mapping[str, MetricDefinition]) -> None:
    """Every definition has a calculation of its name that combines the way it declares."""
    missing_calc = [name for name in definitions if name not in CALCULATIONS]
    if missing_calc:
        raise ContentError(
            "metric definitions without a calculation",
            [Problem(f"metrics: {n}", "no calculation has this name", f"known: {', '.join(CALCULATIONS)}") for n in missing_calc],
        )
    wrong = [(n, d.combine, CALCULATIONS[n].combine) for n, d in definitions.items() if d.combine != CALCULATIONS[n].combine]
    if wrong:
        raise ContentError(
            "metric definitions that declare another combine rule than their calculation's",
            [Problem(f"metrics: {n}", f"combine is {declared}, but the calculation yields a {actual}",
                     f"set combine: {actual}") for n, declared, actual in wrong],
        )


def _result(name: str, definition: MetricDefinition, computed: Computed) -> MetricResult:
    value = computed.value
    return MetricResult.model_construct(
        name=name, value=value, status=rag_status(definition, value),
        by_environment={k: t.value for k, t in computed.by_environment.items()},
        by_site={k: t.value for k, t in computed.by_site.items()}, parts=computed.parts,
        tallies=Tallies.model_construct(overall=computed.tally, by_environment=computed.by_environment,
                                        by_site=computed.by_site),
    )


def metric_set_json(metric_set: MetricSet) -> dict:
    """The CLI/API shape: {"as_of", "metrics": {name: {value, status, by_environment, by_site}}},
    numbers rounded to 2 decimals."""
    return {
        "as_of": metric_set.as_of.isoformat(),
        "metrics": {
            name: {
                "value": _round(r.value),
                "status": r.status,
                "by_environment": {k: _round(v) for k, v in r.by_environment.items()},
                "by_site": {k: _round(v) for k, v in r.by_site.items()},
                **({"missing_reason": r.missing_reason} if r.value is None and r.missing_reason else {}),
            }
            for name, r in metric_set.metrics.items()
        },
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)
