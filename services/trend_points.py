"""A point of a trend, typed: a finalised snapshot of a site (or of the enterprise-wide
assessments) or a period of the enterprise roll-up (services.trend_series computes them).

Numbers are unrounded: maturity 0–5, completion and confidence 0–1, CPG in % of assessed goals,
metric values in their unit; None where there is no value. `delta` is the change from the previous
point of the same series (None for the first point; a change is None when either side is).
`as_json()` is the documented shape of `scorecard trend --json` (docs/deployment.md "Trends"),
dates as ISO strings; the exports read the points as HistoryPoint (report history) and TrendRow
(trend charts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from exports.builder import period_label
from exports.context import HistoryPoint, Score3, TrendRow

Values = dict[str, float | None]


@dataclass(frozen=True)
class PointOverall:
    claimed: float | None
    verified: float | None
    target: float | None
    completion: float | None
    confidence: float | None

    def as_json(self) -> dict[str, Any]:
        return {"claimed": self.claimed, "verified": self.verified, "target": self.target,
                "completion": self.completion, "confidence": self.confidence}


@dataclass(frozen=True)
class Delta:
    """The change since the previous point (`since` is its date)."""

    since: date
    verified: float | None
    claimed: float | None
    cpg_implemented_pct: float | None
    functions: Values
    metrics: Values

    def as_json(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "verified": self.verified, "claimed": self.claimed,
                "cpg_implemented_pct": self.cpg_implemented_pct, "functions": dict(self.functions),
                "metrics": dict(self.metrics)}


@dataclass(frozen=True, kw_only=True)
class TrendPoint:
    as_of: date
    overall: PointOverall
    functions: Values
    """Verified maturity per CSF function id."""
    cpg_implemented_pct: float | None
    metrics: Values
    """Metric name → value in its unit."""
    delta: Delta | None = None

    def history_point(self) -> HistoryPoint:
        o = self.overall
        return HistoryPoint(label=period_label(self.as_of), as_of=self.as_of, overall=Score3(o.claimed, o.verified, o.target),
                            functions=dict(self.functions), cpg_implemented_pct=self.cpg_implemented_pct,
                            metrics=dict(self.metrics))

    def trend_row(self) -> TrendRow:
        o = self.overall
        return TrendRow(label=period_label(self.as_of), as_of=self.as_of, overall=Score3(o.claimed, o.verified, o.target),
                        cpg_implemented_pct=self.cpg_implemented_pct, functions=dict(self.functions))

    def _figures_json(self) -> dict[str, Any]:
        return {"overall": self.overall.as_json(), "functions": dict(self.functions),
                "cpg_implemented_pct": self.cpg_implemented_pct, "metrics": dict(self.metrics)}


@dataclass(frozen=True, kw_only=True)
class SnapshotPoint(TrendPoint):
    """A finalised assessment of one site (`site` "(enterprise)" for the enterprise-wide ones)."""

    assessment_id: int
    site: str
    scope: str

    def as_json(self) -> dict[str, Any]:
        return {"assessment_id": self.assessment_id, "site": self.site, "as_of": self.as_of.isoformat(),
                "scope": self.scope, **self._figures_json(),
                "delta": None if self.delta is None else self.delta.as_json()}


@dataclass(frozen=True)
class RollupMember:
    """A site's snapshot in a roll-up period, and the site's weight."""

    as_of: date
    assessment_id: int
    weight: int


@dataclass(frozen=True, kw_only=True)
class RollupPoint(TrendPoint):
    """A period of the enterprise roll-up: the snapshots it combines, by site."""

    sites: dict[str, RollupMember]

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "sites": {name: {"as_of": m.as_of.isoformat(), "assessment_id": m.assessment_id, "weight": m.weight}
                          for name, m in self.sites.items()},
                **self._figures_json(), "delta": None if self.delta is None else self.delta.as_json()}


P = TypeVar("P", bound=TrendPoint)


def with_deltas(points: list[P]) -> list[P]:
    """The points, oldest first, each with its change from the previous one."""
    out: list[P] = []
    for point in points:
        out.append(point if not out else replace(point, delta=_delta(point, out[-1])))
    return out


def _delta(p: TrendPoint, previous: TrendPoint) -> Delta:
    return Delta(
        since=previous.as_of,
        verified=_diff(p.overall.verified, previous.overall.verified),
        claimed=_diff(p.overall.claimed, previous.overall.claimed),
        cpg_implemented_pct=_diff(p.cpg_implemented_pct, previous.cpg_implemented_pct),
        functions={f: _diff(v, previous.functions.get(f)) for f, v in p.functions.items()},
        metrics={m: _diff(v, previous.metrics.get(m)) for m, v in p.metrics.items()},
    )


def _diff(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else new - old
