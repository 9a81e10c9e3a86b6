"""Computed resilience metrics: the shape shared by evidence (producer) and scoring (consumer).

Values are plain floats in the metric's unit (pct 0–100, count, days, minutes). `None` means the
metric could not be computed (dataset absent, or no rows in its denominator): it is reported as
missing, never as 0. `tallies` are what each value is made of (evidence.tally), so results of
several sites pool into enterprise values (evidence.pooling) without reading their rows again.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evidence.tally import Tally

Status = Literal["green", "amber", "red", "missing"]


class Tallies(BaseModel):
    """The tallies behind a result's value, its per-environment and its per-site values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    overall: Tally
    by_environment: dict[str, Tally] = {}
    by_site: dict[str, Tally] = {}


class MetricResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    value: float | None
    status: Status
    by_environment: dict[str, float | None] = {}
    by_site: dict[str, float | None] = {}
    parts: dict[str, float | None] = {}
    """Components of a composite metric (e.g. owner_pct of critical_asset_documentation_pct)."""
    tallies: Tallies | None = None
    """None when the metric could not be computed (its dataset is absent), or in metrics stored
    before tallies existed (services.evidence_imports then recomputes them from the stored rows)."""
    missing_reason: str | None = None
    """Why the value is missing: the field that would make it computable and how to supply it
    (evidence.missing); None when there is a value (or in metrics stored before reasons existed)."""

    def value_for(self, environment: str | None) -> float | None:
        """The environment's value when the metric has one, else the overall value."""
        if environment is not None and environment in self.by_environment:
            return self.by_environment[environment]
        return self.value


class MetricSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: date
    metrics: dict[str, MetricResult] = {}

    def get(self, name: str) -> MetricResult | None:
        """The metric, or None when it is absent or has no value."""
        result = self.metrics.get(name)
        return result if result is not None and result.value is not None else None
