"""Trends of finalised assessments: per site and enterprise-wide series with period-over-period
deltas, sites side by side, and an enterprise roll-up across sites.

Only final assessments count (their snapshots); drafts never move a trend. A series point carries
the overall claimed/verified/target, completion and confidence, CSF function scores (verified),
CPG % implemented and every metric value; `delta` is the change from the previous point of the
same series (null for the first point or when either side is missing).

Enterprise roll-up, per period (each distinct as-of date of any snapshot): for every site its
latest snapshot dated on or before the period and at most `MAX_AGE_DAYS` old (a plant assessed last
year still counts, one not assessed for longer does not). Maturity (overall, functions, CPG %,
completion, confidence) is their weighted mean: the weight of a site is its criticality for
production (scoring.enterprise.weight_of: critical 4, high 3, medium 2, low 1; enterprise-wide
assessments, shared IT services every plant depends on, 4); a value missing at a site leaves that
site out of that value's mean (the weights of the others are renormalised). Resilience metrics are
not weighted: each is pooled from the sites' evidence rows by its combine rule (evidence.pooling:
counts summed, the oldest anywhere, medians of all rows, shares of all rows), from the tallies the
snapshots keep — the rule of the enterprise report, so both show the same figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from evidence.pooling import pool_metrics
from scoring.enterprise import CRITICALITY_WEIGHTS, ENTERPRISE_WEIGHT, weight_of
from services.access import Actor
from services.content import get_catalog
from services.database import database
from services.evidence_imports import poolable_metrics
from storage import snapshots
from storage.engine import Database
from storage.records import Snapshot
from storage.sites import find_site, list_sites

ENTERPRISE_LABEL = "(enterprise)"
MAX_AGE_DAYS = 366
WEIGHTS = {"criticality": CRITICALITY_WEIGHTS, "enterprise": ENTERPRISE_WEIGHT}
"""The maturity weights of the roll-up, as `scorecard trend --json` reports them."""


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def point(s: Snapshot) -> dict[str, Any]:
    """One trend point from a snapshot (numbers unrounded)."""
    card = s.scorecard
    metrics = (s.metrics or {}).get("metrics", {})
    return {
        "assessment_id": s.assessment_id,
        "site": s.site_name or ENTERPRISE_LABEL,
        "as_of": s.as_of.isoformat(),
        "scope": s.scope,
        "overall": {"claimed": s.claimed, "verified": s.verified, "target": s.target,
                    "completion": s.completion, "confidence": s.confidence},
        "functions": {fid: _num(node["combined"]["verified"]) for fid, node in card.get("functions", {}).items()},
        "cpg_implemented_pct": s.cpg_implemented_pct,
        "metrics": {name: _num(m.get("value")) for name, m in metrics.items()},
    }


def _diff(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else new - old


def with_deltas(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out, previous = [], None
    for p in points:
        delta = None
        if previous is not None:
            delta = {
                "since": previous["as_of"],
                "verified": _diff(p["overall"]["verified"], previous["overall"]["verified"]),
                "claimed": _diff(p["overall"]["claimed"], previous["overall"]["claimed"]),
                "cpg_implemented_pct": _diff(p["cpg_implemented_pct"], previous["cpg_implemented_pct"]),
                "functions": {f: _diff(v, previous["functions"].get(f)) for f, v in p["functions"].items()},
                "metrics": {m: _diff(v, previous["metrics"].get(m)) for m, v in p["metrics"].items()},
            }
        out.append({**p, "delta": delta})
        previous = p
    return out


def site_trend(actor: Actor, site: str | None = None, *, db: Database | None = None) -> list[dict[str, Any]]:
    """The series of one site (None = the enterprise-wide assessments), oldest first, with deltas."""
    with database(db).read() as session:
        if site is None:
            found = snapshots.list_snapshots(session, enterprise=True)
        else:
            found = snapshots.list_snapshots(session, site_id=find_site(session, site).id)
    return with_deltas([point(s) for s in found])


def all_series(actor: Actor, *, db: Database | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every series by site name (enterprise-wide under "(enterprise)")."""
    with database(db).read() as session:
        found = [r.snapshot for r in snapshots.list_trend_rows(session)]
    return _series(found)


def series_and_rollup(actor: Actor, *, catalog: Catalog | None = None,
                      db: Database | None = None) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """`all_series` and `enterprise_rollup` from one read of the snapshots (`scorecard trend`)."""
    catalog = catalog or get_catalog()
    with database(db).read() as session:
        rows = snapshots.list_trend_rows(session)
        return _series([r.snapshot for r in rows]), rollup_rows(session, rows, catalog)


def _series(found: list[Snapshot]) -> dict[str, list[dict[str, Any]]]:
    series: dict[str, list[dict[str, Any]]] = {}
    for s in found:
        series.setdefault(s.site_name or ENTERPRISE_LABEL, []).append(point(s))
    return {name: with_deltas(points) for name, points in sorted(series.items())}


def compare_sites(actor: Actor, *, as_of: date | None = None, db: Database | None = None) -> list[dict[str, Any]]:
    """Each site's latest finalised point (on or before `as_of` when given), side by side."""
    latest = []
    for name, points in all_series(actor, db=db).items():
        eligible = [p for p in points if as_of is None or p["as_of"] <= as_of.isoformat()]
        if eligible:
            latest.append({**eligible[-1], "site": name})
    return latest


def enterprise_rollup(actor: Actor, *, catalog: Catalog | None = None,
                      db: Database | None = None) -> list[dict[str, Any]]:
    """Maturity criticality-weighted and metrics pooled across sites per period, with deltas (see
    the module docstring)."""
    catalog = catalog or get_catalog()
    with database(db).read() as session:
        return rollup_rows(session, snapshots.list_trend_rows(session), catalog)


def rollup_rows(session: Session, rows: list[snapshots.TrendRow], catalog: Catalog,
                tallied: dict[int, MetricSet | None] | None = None) -> list[dict[str, Any]]:
    """The roll-up from snapshots read light (storage.snapshots.list_trend_rows) in `session`;
    `tallied`, when given, receives each snapshot's metrics as parsed (the enterprise report
    reuses its members')."""
    weights = {s.name: weight_of(s.criticality) for s in list_sites(session)}
    tallied = {} if tallied is None else tallied
    tallied.update({r.snapshot.assessment_id: _tallied(session, r, catalog) for r in rows})
    weights[ENTERPRISE_LABEL] = ENTERPRISE_WEIGHT
    series = _series([r.snapshot for r in rows])
    periods = sorted({p["as_of"] for points in series.values() for p in points})
    rolled = []
    for period in periods:
        members = {}
        for name, points in series.items():
            eligible = [p for p in points if p["as_of"] <= period
                        and (date.fromisoformat(period) - date.fromisoformat(p["as_of"])).days <= MAX_AGE_DAYS]
            if eligible:
                members[name] = eligible[-1]
        metrics = pool_metrics([(name, tallied[p["assessment_id"]]) for name, p in members.items()],
                               catalog.metric_definitions(), as_of=date.fromisoformat(period))
        rolled.append(_combine(period, members, weights, metrics))
    return with_deltas(rolled)


def _tallied(session: Session, row: snapshots.TrendRow, catalog: Catalog) -> MetricSet | None:
    """The snapshot's metrics with tallies, parsed straight from its JSON text; a snapshot stored
    before tallies existed falls back to services.evidence_imports.poolable_metrics."""
    s = row.snapshot
    if row.metrics_json and s.metrics:
        metrics = MetricSet.model_validate_json(row.metrics_json)
        if all(r.tallies is not None or r.value is None for r in metrics.metrics.values()):
            return metrics
    return poolable_metrics(session, s.assessment_id, catalog, s.metrics)


def _combine(period: str, members: dict[str, dict[str, Any]], weights: dict[str, int],
             metrics: MetricSet | None) -> dict[str, Any]:
    def mean(get) -> float | None:
        pairs = [(get(p), weights.get(name, 1)) for name, p in members.items() if get(p) is not None]
        total = sum(w for _, w in pairs)
        return None if not total else sum(v * w for v, w in pairs) / total

    functions = sorted({f for p in members.values() for f in p["functions"]})
    return {
        "as_of": period,
        "sites": {name: {"as_of": p["as_of"], "assessment_id": p["assessment_id"], "weight": weights.get(name, 1)}
                  for name, p in sorted(members.items())},
        "overall": {k: mean(lambda p, k=k: p["overall"][k]) for k in ("claimed", "verified", "target", "completion", "confidence")},
        "functions": {f: mean(lambda p, f=f: p["functions"].get(f)) for f in functions},
        "cpg_implemented_pct": mean(lambda p: p["cpg_implemented_pct"]),
        "metrics": {} if metrics is None else {name: r.value for name, r in sorted(metrics.metrics.items())},
    }
