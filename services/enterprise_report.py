"""The enterprise report: the shared IT assessment and every site, rolled up into one scorecard.

Members (the assessments rolled up): the enterprise-wide assessment of shared IT services and one
assessment per site — each one's latest finalised assessment, or its latest assessment when none is
final yet. The roll-up is as of the latest member's date; a member older than
`trends.MAX_AGE_DAYS` before that is left out, as in the enterprise trend.

Maturity is criticality-weighted (scoring.enterprise.weight_of) and resilience metrics are pooled
from the members' evidence rows (evidence.pooling: sums, maxima, medians of all rows, pooled
ratios), exactly as the enterprise trend combines them, so the headline and every metric equal
the trend's point of the same date and "change since" compares with its previous point. The
report's status is the lowest member status (draft < in review < final). `meta.basis` says in
words what the figures are and names any newer, not yet finalised assessment that is not included.

Site comparison, exceptions, exercises and findings come from the same member assessments, each
labelled with its site, and the exception and exercise rows are the rows the pooled metrics count
(each as of its member's date); so do the gaps, caps and responses of the roll-up. Audit trails
stay with each assessment's own report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from errors import NotFoundError, Problem
from evidence.metric_set import MetricSet
from evidence.pooling import pool_metrics
from exports.builder import build_context, period_label
from exports.context import HistoryPoint, ReportContext, ReportMeta, Score3, SiteSummary
from scoring.enterprise import ENTERPRISE_WEIGHT, Member, roll_up, weight_of, worst_status
from scoring.model import Scorecard
from services import trend_series as trends
from services.access import Actor
from services.assessment_scoring import score_in_session
from services.content import get_catalog
from services.database import database, utcnow
from services.evidence_imports import poolable_metrics
from services.report_records import ENTERPRISE_NAME, REPORT_TITLE, evidence_records, finding_record
from storage import assessments as store
from storage import findings as finding_store
from storage import snapshots
from storage.engine import Database
from storage.records import Assessment
from storage.sites import list_sites, organisation_name

STATUS_RANK = ("draft", "in_review", "final")
SHARED_IT = "shared IT"
"""The criticality shown for the enterprise-wide member."""


@dataclass(frozen=True)
class _Member:
    label: str
    criticality: str
    weight: int
    assessment: Assessment
    newer: Assessment | None
    """A later assessment of the same site that is not final yet (so not rolled up)."""


def enterprise_context(actor: Actor, *, catalog: Catalog | None = None,
                       db: Database | None = None) -> ReportContext:
    """The enterprise report's view-model (see the module docstring)."""
    catalog = catalog or get_catalog()
    with database(db).read() as session:
        enterprise = store.list_all(session, enterprise=True)
        if not enterprise:
            raise NotFoundError("there is no enterprise-wide assessment to report on",
                                [Problem("--enterprise", "none found",
                                         "create one with `scorecard assessment create --enterprise`, or report a --site")])
        candidates = [_member(ENTERPRISE_NAME, SHARED_IT, ENTERPRISE_WEIGHT, enterprise)]
        for site in list_sites(session):
            found = store.list_all(session, site_id=site.id)
            if found:
                candidates.append(_member(site.name, site.criticality, weight_of(site.criticality), found))
        as_of = max(m.assessment.as_of for m in candidates)
        members = [m for m in candidates if (as_of - m.assessment.as_of).days <= trends.MAX_AGE_DAYS]
        stale = [m for m in candidates if m not in members]
        organisation = organisation_name(session) or "Organisation"
        # Only the evidence tables: the members' own histories and audit trails are not shown here.
        tables = {m.label: evidence_records(session, m.assessment, m.label) for m in members}
        site_findings = {m.label: finding_store.list_for(session, m.assessment.id) for m in members}
        # Every snapshot is read once, light (columns, functions, metrics): for the trend, each
        # member's earlier points and the members' metrics; only the members' Scorecards are read whole.
        trend_rows = snapshots.list_trend_rows(session)
        tallied: dict[int, MetricSet | None] = {}
        history = rollup_history(session, trend_rows, catalog, tallied)
        earlier = {m.label: [r.snapshot for r in trend_rows if r.snapshot.site_id == m.assessment.site_id
                             and r.snapshot.as_of < m.assessment.as_of] for m in members}
        results = {m.label: _results(session, m.assessment, catalog, tallied) for m in members}

    cards = {label: card for label, (card, _) in results.items()}
    metrics = pool_metrics([(label, found) for label, (_, found) in results.items()],
                           catalog.metric_definitions(), as_of=as_of)
    rolled = roll_up([Member(m.label, m.weight, cards[m.label]) for m in members], as_of=as_of, metrics=metrics)
    status = min((m.assessment.status for m in members), key=STATUS_RANK.index)
    questionnaire = catalog.questionnaire(rolled.questionnaire_id)
    meta = ReportMeta(
        title=REPORT_TITLE, organisation=organisation, subject=f"{organisation} (enterprise)",
        kind="enterprise", scope=rolled.scope.value, as_of=as_of, status=status,
        questionnaire=f"{rolled.questionnaire_id} {rolled.questionnaire_version}",
        generated_on=utcnow().date(), basis=basis(members, stale, as_of),
        assessment_uid=candidates[0].assessment.uid,
    )
    nodes = [n for fid in (questionnaire.frameworks.csf, questionnaire.frameworks.cpg)
             if fid in catalog.frameworks for n in catalog.frameworks[fid].nodes]
    findings = [finding_record(f, m.label) for m in members for f in site_findings[m.label]]
    sites = [_summary(m, cards[m.label], earlier[m.label]) for m in members]
    return build_context(
        rolled, questionnaire, catalog.metric_definitions(), meta, metrics=metrics,
        history=history, findings=findings,
        exceptions=[e for exceptions, _ in tables.values() for e in exceptions],
        exercises=[x for _, exercises in tables.values() for x in exercises],
        sites=sites, node_order=[n.id for n in nodes], node_text={n.id: n.text for n in nodes if n.text},
        site_goals={label: site_goal_status(card) for label, card in cards.items()},
    )


def _results(session: Session, assessment: Assessment, catalog: Catalog,
             tallied: dict[int, MetricSet | None]) -> tuple[Scorecard, MetricSet | None]:
    """A member's Scorecard and metrics with tallies: its snapshot's when final (the Scorecard
    parsed straight from its JSON text, the metrics as the trend already parsed them), else scored
    now from its responses and stored evidence."""
    text = snapshots.scorecard_json(session, assessment.id)
    if text is not None:
        card = Scorecard.model_validate_json(text)
        if assessment.id in tallied:
            return card, tallied[assessment.id]
        return card, poolable_metrics(session, assessment.id, catalog, snapshots.get(session, assessment.id).metrics)
    card, _ = score_in_session(session, assessment.id, catalog)
    return card, poolable_metrics(session, assessment.id, catalog, None)


def _member(label: str, criticality: str, weight: int, found: list[Assessment]) -> _Member:
    finals = [a for a in found if a.status == "final"]
    chosen = finals[-1] if finals else found[-1]
    newer = found[-1] if found[-1].id != chosen.id else None  # only non-final ones come after the latest final
    return _Member(label, criticality, weight, chosen, newer)


def site_goal_status(card: Scorecard) -> dict[str, str]:
    """Each CPG goal's status at one site: the worst over the site's environments."""
    return {gid: worst_status(goal.status.values()) for gid, goal in card.cpg_goals.items()}


BASIS_NAMED = 12
"""Up to this many members the basis names each; beyond, it counts them by criticality and names
only those that differ (older date, not final) — up to BASIS_NAMED of each kind — so the sentence
stays a sentence at hundreds of sites (the workbook's Sites sheet lists every member)."""


def basis(members: list[_Member], stale: list[_Member], as_of: date) -> str:
    """The sentence that says what the enterprise figures are, heaviest members first."""
    ordered = sorted(members, key=lambda m: (-m.weight, m.label))
    if len(members) > BASIS_NAMED:
        return _counted_basis(ordered, stale, as_of)
    parts = []
    for m in ordered:
        a = m.assessment
        facts = [f"weight {m.weight}" + ("" if m.criticality == SHARED_IT else f", {m.criticality}"), a.scope]
        if a.as_of != as_of:
            facts.append(f"as of {a.as_of.isoformat()}")
        if a.status != "final":
            facts.append(a.status.replace("_", " "))
        parts.append(f"{m.label} ({'; '.join(facts)})")
    text = (f"Maturity criticality-weighted across {len(members)} sites, as of {as_of.isoformat()}: "
            + ", ".join(parts) + ". Resilience metrics pooled from all their evidence rows, not weighted.")
    pending = [f"{m.label} {m.newer.as_of.isoformat()} ({m.newer.status.replace('_', ' ')})"
               for m in members if m.newer is not None]
    if pending:
        text += " Not yet included (not final): " + ", ".join(pending) + "."
    if stale:
        text += (f" Left out, last assessed over {trends.MAX_AGE_DAYS} days earlier: "
                 + ", ".join(f"{m.label} ({m.assessment.as_of.isoformat()})" for m in stale) + ".")
    return text


def _counted_basis(members: list[_Member], stale: list[_Member], as_of: date) -> str:
    counts: dict[str, tuple[int, int]] = {}
    for m in members:
        n, _ = counts.get(m.criticality, (0, m.weight))
        counts[m.criticality] = (n + 1, m.weight)
    groups = ", ".join(f"{n} {criticality} (weight {weight})" for criticality, (n, weight) in counts.items())
    text = (f"Maturity criticality-weighted across {len(members)} sites, as of {as_of.isoformat()}: {groups}. "
            "Resilience metrics pooled from all their evidence rows, not weighted.")
    older = [m for m in members if m.assessment.as_of != as_of]
    unfinished = [m for m in members if m.assessment.status != "final"]
    pending = [m for m in members if m.newer is not None]
    for label, found, fact in (
            ("Assessed earlier", older, lambda m: m.assessment.as_of.isoformat()),
            ("Not final", unfinished, lambda m: m.assessment.status.replace("_", " ")),
            ("Not yet included (not final)", pending,
             lambda m: f"{m.newer.as_of.isoformat()} ({m.newer.status.replace('_', ' ')})"),
            (f"Left out, last assessed over {trends.MAX_AGE_DAYS} days earlier", stale,
             lambda m: m.assessment.as_of.isoformat())):
        if found:
            named = ", ".join(f"{m.label} {fact(m)}" for m in found[:BASIS_NAMED])
            where = "" if found is stale else " (workbook, Sites sheet)"
            more = f" and {len(found) - BASIS_NAMED} more{where}" if len(found) > BASIS_NAMED else ""
            text += f" {label}: {named}{more}."
    return text


def rollup_history(session: Session, rows: list[snapshots.TrendRow], catalog: Catalog,
                   tallied: dict[int, MetricSet | None]) -> list[HistoryPoint]:
    """The enterprise trend (maturity criticality-weighted, metrics pooled, per period) as history
    points, from every snapshot's light row; `tallied` receives each snapshot's parsed metrics."""
    points = trends.rollup_rows(session, rows, catalog, tallied)
    out = []
    for p in points:
        day = date.fromisoformat(p["as_of"])
        o = p["overall"]
        out.append(HistoryPoint(label=period_label(day), as_of=day,
                                overall=Score3(o["claimed"], o["verified"], o["target"]),
                                functions=dict(p["functions"]), cpg_implemented_pct=p["cpg_implemented_pct"],
                                metrics=dict(p["metrics"])))
    return out


def _summary(m: _Member, card: Scorecard, earlier) -> SiteSummary:
    o = card.overall
    return SiteSummary(
        name=m.label, criticality=m.criticality, as_of=m.assessment.as_of, status=m.assessment.status,
        overall=Score3(o.claimed, o.verified, o.target), completion=o.completion, confidence=o.confidence,
        cpg_implemented_pct=card.cpg_implemented_pct,
        functions={k: f.combined.verified for k, f in card.functions.items()},
        previous_verified=earlier[-1].verified if earlier else None, weight=m.weight,
    )

