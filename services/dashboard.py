"""What the CIO dashboard shows, assembled without Streamlit: the report view-model of an
assessment, a site or the enterprise (services.reports), narrowed to one environment on request,
plus the tiles, the "can this be trusted yet" verdict and the gap table the page draws.

Rules:
- The dashboard reads the same ReportContext as the board PDF, so screen and paper agree.
- `data_version` changes whenever anything a dashboard shows may have changed: every change to a
  response, target, finding, status or evidence writes an audit row in the same transaction
  (storage.audit), finalising writes a snapshot, and sites are counted. The app caches the
  assembled context by this version.
- The verdict ("can this be trusted yet") is the report's own (exports.verdict, one rule for the
  dashboard banner and the PDF): reliable only when final, complete and mostly evidenced.
- Values read as in the PDF (exports.formatting); a due date that has passed at the as-of date
  reads "overdue by N days".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from errors import Problem, ScorecardError
from exports.context import MetricRow, ReportContext, Score3, Verdict
from exports.formatting import due, metric_change
from exports.verdict import judge
from services import reports
from services.access import Actor
from services.context import Context
from storage import record_counts

View = Literal["assessment", "site", "enterprise"]
VIEWS: tuple[View, ...] = ("assessment", "site", "enterprise")


def data_version(ctx: Context) -> tuple[int, int, int, int]:
    """(last audit id, snapshots, sites, assessments): changes whenever dashboard data may have."""
    with ctx.read() as session:
        return record_counts.data_version(session)


def dashboard_context(ctx: Context, actor: Actor, view: View, *, assessment_id: int | None = None,
                      site: str | None = None) -> ReportContext:
    """The view-model of the dashboard: one assessment, a site's latest assessment (None = the
    enterprise-wide ones), or the enterprise (every site and the shared IT rolled up by criticality,
    services.enterprise_report, and compared side by side); each read in one transaction."""
    if view == "enterprise":
        return reports.enterprise_context(ctx, actor)
    if view == "site":
        return reports.site_context(ctx, actor, site)
    if view == "assessment":
        if assessment_id is None:
            raise ScorecardError("no assessment selected", [Problem("assessment", "none selected",
                                                                    "pick one in the sidebar")])
        return reports.assessment_context(ctx, actor, assessment_id)
    raise ScorecardError(f"unknown dashboard view '{view}'", [Problem("view", view, f"one of {', '.join(VIEWS)}")])


def for_environment(context: ReportContext, environment: str | None) -> ReportContext:
    """The context narrowed to IT or OT (None: unchanged). Headline numbers become that
    environment's; gaps, findings, responses and caps keep only its rows. Exceptions and exercises
    are not per environment and stay."""
    if environment is None:
        return context
    if environment not in context.environments:
        raise ScorecardError(f"{environment} is not in this assessment's scope",
                             [Problem("environment", environment, f"scope is {context.meta.scope}")])
    h = context.headline
    headline = replace(
        h,
        overall=h.by_environment.get(environment, Score3()),
        cpg_implemented_pct=h.cpg_by_environment.get(environment),
        # The previous point is combined IT+OT only, so a per-environment delta would compare unlike things.
        previous_verified=None,
        delta_verified=None,
    )
    return replace(
        context,
        headline=headline,
        verdict=judge(headline, context.meta.status),
        environments=(environment,),
        roadmap=tuple(r for r in context.roadmap if r.environment == environment),
        findings=tuple(f for f in context.findings if f.environment in ("", environment)),
        responses=tuple(r for r in context.responses if r.environment == environment),
        caps=tuple(c for c in context.caps if c.environment == environment),
    )


# --- Verdict, tiles, gap table ---------------------------------------------------------------------


def verdict(context: ReportContext) -> Verdict:
    """Whether the figures are a result yet (the report's verdict, exports.verdict)."""
    return context.verdict


@dataclass(frozen=True)
class Tile:
    """A resilience metric as the dashboard shows it; `value` is formatted with its unit."""

    name: str
    label: str
    value: str
    status: str
    trend: str
    change: str
    rule: str
    history: tuple[float, ...]
    """Earlier finalised values then the current one, oldest first (for a sparkline)."""
    missing_reason: str | None = None
    """Why a missing metric has no value, and how to supply the field it needs."""


def tiles(context: ReportContext) -> tuple[Tile, ...]:
    """One tile per metric, in the metric catalog's order; `change` is the signed change since the
    previous finalised assessment in the metric's unit (empty when there is none)."""
    return tuple(_tile(m) for m in context.metrics)


def _tile(m: MetricRow) -> Tile:
    history = tuple(v for v in (*m.history, m.value) if v is not None)
    return Tile(name=m.name, label=m.label, value=m.display, status=m.status, trend=m.trend,
                change=metric_change(m.change, m.unit), rule=m.rule, history=history, missing_reason=m.missing_reason)


def gap_table(context: ReportContext, limit: int = 10) -> list[dict[str, object]]:
    """The top ranked gaps with their owner (from findings), as rows for a table; the site comes
    first when the gaps are an enterprise roll-up's."""
    return [
        {
            "Rank": r.rank, **({"Site": r.site} if r.site else {}), "Question": r.question_id, "Practice": r.text, "Env": r.environment,
            "Verified": r.verified, "Target": r.target, "Gap": r.gap, "Priority": round(r.priority, 2),
            "Owner": r.owner or "— no owner —", "Due": due(r.due, r.overdue_days) if r.due else "",
            "Action": r.status.replace("_", " "), "Why capped": "; ".join(r.cap_reasons),
        }
        for r in context.roadmap[:limit]
    ]
