"""What the Trends view shows, assembled without Streamlit, on top of services.trend_series.

- Series: a site's finalised snapshots, the enterprise-wide ones, or the enterprise roll-up
  (maturity criticality-weighted, metrics pooled from the sites' evidence: services.trend_series), as
  exports.context.TrendRow so the same plotly figures draw them.
- Side by side: each site's latest finalised point, as exports.context.SiteRow.
- What changed: an assessment (draft or final) against the latest finalised snapshot of the same
  site dated before it. Scores are verified maturity 0–5, CPG in % of assessed goals, metric values
  in their unit; a change smaller than 0.005 (a rounding step) counts as no change.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.content_catalog import Catalog
from catalog.models import CRITICALITIES
from evidence.metric_set import MetricSet
from exports.builder import period_label
from exports.context import Score3, SiteRow, TrendRow
from exports.formatting import metric_value
from scoring.model import Scorecard
from services import trend_series as trends
from services.access import Actor
from services.assessment_scoring import score_in_session
from services.context import Context
from storage import snapshots
from storage.sites import list_sites

ROLLUP = "__rollup__"
"""The series choice for the enterprise roll-up across sites."""
ENTERPRISE = trends.ENTERPRISE_LABEL
EPSILON = 0.005


@dataclass(frozen=True)
class Series:
    """A trend: rows oldest first, and each period's metric values (name → value in its unit)."""

    rows: tuple[TrendRow, ...]
    metrics: dict[str, dict[str, float | None]]

    def metric_points(self, name: str) -> list[tuple[str, float | None]]:
        """(period label, value) of one metric over the series."""
        return [(r.label, self.metrics.get(r.label, {}).get(name)) for r in self.rows]


def series(ctx: Context, actor: Actor, choice: str) -> Series:
    """The trend of a site (its name), the enterprise-wide assessments (ENTERPRISE) or the roll-up."""
    if choice == ROLLUP:
        points = trends.enterprise_rollup(ctx, actor)
    else:
        points = trends.site_trend(ctx, actor, None if choice == ENTERPRISE else choice)
    rows = tuple(p.trend_row() for p in points)
    return Series(rows, {r.label: dict(p.metrics) for r, p in zip(rows, points, strict=True)})


def side_by_side(ctx: Context, actor: Actor) -> tuple[SiteRow, ...]:
    """Each site's (and the enterprise-wide) latest finalised point, most critical sites first."""
    with ctx.read() as session:
        criticality = {s.name: s.criticality for s in list_sites(session)}
        series_by_site = trends.series_in_session(session)
    order = {level: rank for rank, level in enumerate(CRITICALITIES)}
    rows = []
    for name, points in series_by_site.items():
        p = points[-1]
        o = p.overall
        rows.append(SiteRow(
            name="Enterprise-wide" if name == ENTERPRISE else name,
            criticality=criticality.get(name, "enterprise"), as_of=p.as_of, status="final",
            overall=Score3(o.claimed, o.verified, o.target), completion=o.completion, confidence=o.confidence,
            cpg_implemented_pct=p.cpg_implemented_pct, delta_verified=p.delta.verified if p.delta else None,
            functions=dict(p.functions),
        ))
    return tuple(sorted(rows, key=lambda r: (order.get(r.criticality, -1), r.name)))


# --- What changed since the last assessment ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One thing that moved: `before`/`after` formatted, `better` None when direction is neutral."""

    area: str
    item: str
    before: str
    after: str
    better: bool | None


@dataclass(frozen=True)
class Changes:
    current_label: str
    previous_label: str
    """Empty when there is no earlier finalised assessment of the same site."""
    summary: tuple[Change, ...]
    responses: tuple[Change, ...]
    goals: tuple[Change, ...]
    metrics: tuple[Change, ...]


def changes_since_previous(ctx: Context, actor: Actor, assessment_id: int) -> Changes:
    """The assessment against the latest finalised snapshot of the same site dated before it."""
    catalog = ctx.catalog
    with ctx.read() as session:
        scored = score_in_session(session, assessment_id, catalog)
        a = scored.assessment
        found = snapshots.list_snapshots(session, site_id=a.site_id, enterprise=a.site_id is None)
    current = scored.scorecard
    earlier = [s for s in found if s.as_of < a.as_of and s.assessment_id != a.id]
    label = f"{a.site_name or 'Enterprise-wide'} {period_label(a.as_of)} ({a.status.replace('_', ' ')})"
    if not earlier:
        return Changes(label, "", (), (), (), ())
    prev_snapshot = earlier[-1]
    previous = prev_snapshot.scorecard
    definitions = catalog.metric_definitions()
    now_metrics = _metric_values(scored.metrics)
    before_metrics = _metric_values(prev_snapshot.metrics)
    return Changes(
        current_label=label,
        previous_label=f"{period_label(prev_snapshot.as_of)} (final, as of {prev_snapshot.as_of.isoformat()})",
        summary=_summary(current, previous, _function_order(catalog, a.questionnaire_id)),
        responses=_responses(current, previous, catalog, a.questionnaire_id),
        goals=_goals(current, previous),
        metrics=_metrics(now_metrics, before_metrics, definitions),
    )


def _metrics(now: dict[str, float | None], before: dict[str, float | None], definitions) -> tuple[Change, ...]:
    """Metrics that moved, in the metric catalog's order, values in their unit."""
    names = [n for n in definitions if n in now or n in before]
    names += sorted((set(now) | set(before)) - set(definitions))
    out = []
    for n in names:
        if not _moved(now.get(n), before.get(n)):
            continue
        d = definitions.get(n)
        unit = d.unit if d else "count"
        higher = d.direction == "higher_is_better" if d else True
        out.append(Change("Metric", d.label if d else n, metric_value(before.get(n), unit),
                          metric_value(now.get(n), unit), _better(now.get(n), before.get(n), higher)))
    return tuple(out)


def _metric_values(metrics: MetricSet | None) -> dict[str, float | None]:
    return {} if metrics is None else {n: r.value for n, r in metrics.metrics.items()}


def _v(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _moved(now: float | None, before: float | None) -> bool:
    if now is None or before is None:
        return (now is None) != (before is None)
    return abs(now - before) >= EPSILON


def _better(now: float | None, before: float | None, higher_is_better: bool = True) -> bool | None:
    if now is None or before is None:
        return None
    return (now > before) == higher_is_better


def _function_order(catalog: Catalog, questionnaire_id: str) -> dict[str, int]:
    csf = catalog.framework(catalog.questionnaire(questionnaire_id).frameworks.csf)
    return {node.id: index for index, node in enumerate(csf.of_kind("function"))}


def _summary(current: Scorecard, previous: Scorecard, order: dict[str, int]) -> tuple[Change, ...]:
    pairs = [
        ("Overall", "Verified maturity", current.overall.verified, previous.overall.verified),
        ("Overall", "Claimed maturity", current.overall.claimed, previous.overall.claimed),
        ("Overall", "CPG goals implemented (%)", current.cpg_implemented_pct, previous.cpg_implemented_pct),
    ]
    pairs += [("Function", f"{fid} {_title(node.title)}", node.combined.verified,
               previous.functions[fid].combined.verified if fid in previous.functions else None)
              for fid, node in sorted(current.functions.items(), key=lambda item: order.get(item[0], 99))]
    return tuple(Change(area, item, _v(before), _v(now), _better(now, before))
                 for area, item, now, before in pairs if _moved(now, before))


def _title(text: str) -> str:
    """CSF function titles are upper case in the catalog ("GOVERN"); read them as words."""
    return text.title() if text.isupper() else text


def _responses(current: Scorecard, previous: Scorecard, catalog: Catalog,
               questionnaire_id: str) -> tuple[Change, ...]:
    texts = {q.id: q.text for q in catalog.questionnaire(questionnaire_id).questions}
    before = {(r.question_id, r.environment): r for r in previous.responses}
    out = []
    for r in current.responses:
        old = before.get((r.question_id, r.environment))
        now_text, old_text = _answer(r), _answer(old)
        if now_text == old_text:
            continue
        better = None
        if old is not None and r.verified is not None and old.verified is not None and r.verified != old.verified:
            better = r.verified > old.verified
        out.append(Change(r.environment, f"{r.question_id} {texts.get(r.question_id, '')}".strip(),
                          old_text, now_text, better))
    return tuple(out)


def _answer(r) -> str:
    """'claimed 3 → verified 2', 'N/A', 'unanswered' (a missing response reads as unanswered)."""
    if r is None or r.state == "unanswered":
        return "unanswered"
    if r.state == "na":
        return "N/A"
    return f"claimed {r.claimed}, verified {r.verified}"


def _goals(current: Scorecard, previous: Scorecard) -> tuple[Change, ...]:
    rank = {"not_assessed": -1, "not_implemented": 0, "in_progress": 1, "implemented": 2}
    out = []
    for gid, goal in current.cpg_goals.items():
        old = previous.cpg_goals.get(gid)
        for env, status in goal.status.items():
            was = old.status.get(env, "not_assessed") if old else "not_assessed"
            if was != status:
                better = None if "not_assessed" in (was, status) else rank[status] > rank[was]
                out.append(Change(env, f"{gid} {goal.title}", was.replace("_", " "), status.replace("_", " "), better))
    return tuple(out)
