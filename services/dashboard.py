"""What the CIO dashboard shows, assembled without Streamlit: the report view-model of an
assessment, a site or the enterprise (services.reports), narrowed to one environment on request,
plus the tiles, the "can this be trusted yet" verdict and the gap table the page draws.

Rules:
- The dashboard reads the same ReportContext as the board PDF, so screen and paper agree.
- The app caches the assembled context by `services.view_versions.view_version` (it moves only when
  what the view is built from may have changed), and the database keeps it under the same version
  for other processes and commands (services.reports, services.stored_views). `data_version`
  (last audit id, snapshots, sites, assessments) moves on any change anywhere: it keys the other views.
- The verdict ("can this be trusted yet") is the report's own (exports.verdict, one rule for the
  dashboard banner and the PDF): reliable only when final, complete and mostly evidenced.
- Values read as in the PDF (exports.formatting); a due date that has passed at the as-of date
  reads "overdue by N days".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from errors import Problem, ScorecardError
from exports.answer import answer_sentence
from exports.context import MetricRow, ReportContext, Score3, Verdict
from exports.formatting import days, metric_change
from exports.verdict import judge
from services import reports
from services.access import Actor
from services.context import Context
from services.view_versions import View
from storage import record_counts

VIEWS: tuple[View, ...] = ("assessment", "site", "enterprise")


def data_version(ctx: Context) -> tuple[int, int, int, int]:
    """(last audit id, snapshots, sites, assessments): changes whenever dashboard data may have."""
    with ctx.read() as session:
        return record_counts.data_version(session)


def dashboard_context(ctx: Context, actor: Actor, view: View, *, assessment_id: int | None = None,
                      site: str | None = None) -> ReportContext:
    """The view-model of the dashboard: one assessment (a draft only when selected, then marked
    provisional), a site's latest final assessment (None = the enterprise-wide ones;
    services.result_basis), or the enterprise (every site and the shared IT rolled up by criticality,
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
    environment's, and so are the trend's points and the change since the previous one (the
    snapshots keep each environment's scores); gaps, findings, responses and caps keep only its
    rows. Exceptions and exercises are not per environment and stay."""
    if environment is None:
        return context
    if environment not in context.environments:
        raise ScorecardError(f"{environment} is not in this assessment's scope",
                             [Problem("environment", environment, f"scope is {context.meta.scope}")])
    h = context.headline
    overall = h.by_environment.get(environment, Score3())
    trend = tuple(replace(t, overall=t.by_environment.get(environment, Score3())) for t in context.trend)
    # The previous point in the same environment: a combined IT+OT figure would compare unlike things.
    earlier = [t for t in trend[:-1] if t.overall.verified is not None]
    previous = earlier[-1] if earlier and trend and trend[-1].as_of == context.meta.as_of else None
    change = (overall.verified - previous.overall.verified
              if previous is not None and overall.verified is not None else None)
    headline = replace(
        h,
        overall=overall,
        cpg_implemented_pct=h.cpg_by_environment.get(environment),
        previous_verified=previous.overall.verified if previous else None,
        delta_verified=change,
        previous_label=previous.label if previous else "",
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
        trend=trend,
        # Earlier points keep functions for IT and OT together only: no function comparison here.
        answer=answer_sentence(context.meta, headline, None, None),
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
    """The top ranked gaps as rows for a table, what a CIO acts on first: owner, due date (overdue
    flagged "⚠ N days overdue") and action status, then where and what, then the ranking's own
    figures (priority, and consequence: the first tie-breaker), then why the answer was capped, in
    metric titles (exports.cap_text). The site comes after the status in an enterprise roll-up."""
    return [
        {
            "Rank": r.rank,
            "Owner": r.owner or "— no owner —",
            "Due": _due(r),
            "Status": r.status.replace("_", " "),
            **({"Site": r.site} if r.site else {}),
            "Practice": f"{r.question_id} · {r.text}",
            "Env": r.environment,
            "Level": f"{r.verified} → {r.target}",
            "Priority": round(r.priority, 2),
            "Consequence": r.consequence_rating or None,
            "Why capped": "; ".join(r.cap_reasons),
        }
        for r in context.roadmap[:limit]
    ]


def _due(r) -> str:
    """Short enough for a narrow column: "⚠ 275 days overdue", "2027-03-31" or "no date"."""
    if r.due is None:
        return "no date"
    return f"⚠ {days(r.overdue_days)} overdue" if r.overdue_days else r.due.isoformat()
