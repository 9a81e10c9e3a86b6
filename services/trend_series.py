"""Trends of finalised assessments: per site and enterprise-wide series with period-over-period
deltas, sites side by side, and an enterprise roll-up across sites.

Only final assessments count (their snapshots); drafts never move a trend. A series point
(services.trend_points) carries the overall claimed/verified/target, completion and confidence,
CSF function scores (verified), CPG % implemented and every metric value; `delta` is the change
from the previous point of the same series (None for the first point or when either side is
missing). Each public function reads in one transaction; the `*_in_session` ones let another read
model (the enterprise report) include a trend in its own.

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

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from evidence.pooling import pool_metrics
from scoring.enterprise import CRITICALITY_WEIGHTS, ENTERPRISE_WEIGHT, weight_of
from services.access import Actor
from services.context import Context
from services.stored_evidence import poolable_metrics
from services.trend_points import (
    PointOverall,
    RollupMember,
    RollupPoint,
    SnapshotPoint,
    with_deltas,
)
from storage import snapshots
from storage.records import Snapshot
from storage.sites import find_site, list_sites

ENTERPRISE_LABEL = "(enterprise)"
MAX_AGE_DAYS = 366
WEIGHTS = {"criticality": CRITICALITY_WEIGHTS, "enterprise": ENTERPRISE_WEIGHT}
"""The maturity weights of the roll-up, as `scorecard trend --json` reports them."""
OVERALL = ("claimed", "verified", "target", "completion", "confidence")

Series = dict[str, list[SnapshotPoint]]
"""Site name ("(enterprise)" for the enterprise-wide assessments) → its points, oldest first."""


def point(s: Snapshot) -> SnapshotPoint:
    """One trend point from a snapshot (numbers unrounded)."""
    return SnapshotPoint(
        assessment_id=s.assessment_id, site=s.site_name or ENTERPRISE_LABEL, as_of=s.as_of, scope=s.scope,
        overall=PointOverall(s.claimed, s.verified, s.target, s.completion, s.confidence),
        functions={fid: node.combined.verified for fid, node in s.scorecard.functions.items()},
        cpg_implemented_pct=s.cpg_implemented_pct,
        metrics={} if s.metrics is None else {name: m.value for name, m in s.metrics.metrics.items()},
    )


def site_trend(ctx: Context, actor: Actor, site: str | None = None) -> list[SnapshotPoint]:
    """The series of one site (None = the enterprise-wide assessments), oldest first, with deltas."""
    with ctx.read() as session:
        if site is None:
            found = snapshots.list_snapshots(session, enterprise=True)
        else:
            found = snapshots.list_snapshots(session, site_id=find_site(session, site).id)
    return with_deltas([point(s) for s in found])


def all_series(ctx: Context, actor: Actor) -> Series:
    """Every series by site name (enterprise-wide under "(enterprise)")."""
    with ctx.read() as session:
        return series_in_session(session)


def series_in_session(session: Session) -> Series:
    """Every series by site name, read in `session`."""
    return _series(snapshots.list_snapshots(session))


def _series(found: list[Snapshot]) -> Series:
    series: Series = {}
    for s in found:
        series.setdefault(s.site_name or ENTERPRISE_LABEL, []).append(point(s))
    return {name: with_deltas(points) for name, points in sorted(series.items())}


def compare_sites(ctx: Context, actor: Actor, *, as_of: date | None = None) -> list[SnapshotPoint]:
    """Each site's latest finalised point (on or before `as_of` when given), side by side."""
    latest = []
    for points in all_series(ctx, actor).values():
        eligible = [p for p in points if as_of is None or p.as_of <= as_of]
        if eligible:
            latest.append(eligible[-1])
    return latest


def enterprise_rollup(ctx: Context, actor: Actor) -> list[RollupPoint]:
    """Maturity criticality-weighted and metrics pooled across sites per period, with deltas (see
    the module docstring)."""
    with ctx.read() as session:
        return rollup_in_session(session, ctx.catalog)


def series_and_rollup(ctx: Context, actor: Actor) -> tuple[Series, list[RollupPoint]]:
    """`all_series` and `enterprise_rollup` read from one state of the database, the snapshots once."""
    with ctx.read() as session:
        found = snapshots.list_snapshots(session)
        return _series(found), rollup_in_session(session, ctx.catalog, found)


def rollup_in_session(session: Session, catalog: Catalog, found: list[Snapshot] | None = None) -> list[RollupPoint]:
    """The enterprise roll-up read in `session` (from `found`, every snapshot, when given)."""
    weights = {s.name: weight_of(s.criticality) for s in list_sites(session)}
    weights[ENTERPRISE_LABEL] = ENTERPRISE_WEIGHT
    found = snapshots.list_snapshots(session) if found is None else found
    tallied = {s.assessment_id: poolable_metrics(session, s.assessment_id, catalog, s) for s in found}
    series = _series(found)
    rolled = []
    for period in sorted({p.as_of for points in series.values() for p in points}):
        members = {}
        for name, points in series.items():
            eligible = [p for p in points if p.as_of <= period and (period - p.as_of).days <= MAX_AGE_DAYS]
            if eligible:
                members[name] = eligible[-1]
        metrics = pool_metrics([(name, tallied[p.assessment_id]) for name, p in members.items()],
                               catalog.metric_definitions(), as_of=period)
        rolled.append(_combine(period, members, weights, metrics))
    return with_deltas(rolled)


def _combine(period: date, members: dict[str, SnapshotPoint], weights: dict[str, int],
             metrics: MetricSet | None) -> RollupPoint:
    def mean(get) -> float | None:
        pairs = [(get(p), weights.get(name, 1)) for name, p in members.items() if get(p) is not None]
        total = sum(w for _, w in pairs)
        return None if not total else sum(v * w for v, w in pairs) / total

    functions = sorted({f for p in members.values() for f in p.functions})
    return RollupPoint(
        as_of=period,
        sites={name: RollupMember(p.as_of, p.assessment_id, weights.get(name, 1)) for name, p in sorted(members.items())},
        overall=PointOverall(*(mean(lambda p, k=k: getattr(p.overall, k)) for k in OVERALL)),
        functions={f: mean(lambda p, f=f: p.functions.get(f)) for f in functions},
        cpg_implemented_pct=mean(lambda p: p.cpg_implemented_pct),
        metrics={} if metrics is None else {name: r.value for name, r in sorted(metrics.metrics.items())},
    )
