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

The plan (the path to target) is the members' actions projected together (scoring.projection).
Each member's scores, metrics, findings and plan are kept in process memory by that member's own
version (services.member_parts): after one member's autosave the view redoes that member and the
roll-up, not every member.
Site comparison, exceptions, exercises and findings come from the same member assessments, each
labelled with its site, and the exception and exercise rows are the rows the pooled metrics count
(each as of its member's date); so do the gaps, caps and responses of the roll-up. Audit trails
stay with each assessment's own report.
"""

from __future__ import annotations

from datetime import date

from evidence.pooling import pool_metrics
from exports.builder import build_context
from exports.context import ReportContext, ReportMeta, Score3, SiteSummary
from scoring.enterprise import Member, roll_up, worst_status
from scoring.model import Scorecard
from services import kept_trend, member_parts
from services import trend_series as trends
from services.access import Actor
from services.context import Context
from services.enterprise_members import SHARED_IT, EnterpriseMember, choose_members
from services.report_records import (
    ENTERPRISE_NAME,
    REPORT_TITLE,
    finding_record,
    framework_nodes,
    members_evidence_records,
    report_cautions,
)
from storage.sites import organisation_name

STATUS_RANK = ("draft", "in_review", "final")


def enterprise_context(ctx: Context, actor: Actor) -> ReportContext:
    """The enterprise report's view-model (see the module docstring), read in one transaction."""
    catalog = ctx.catalog
    with ctx.read() as session:
        members, stale, as_of = choose_members(session)
        organisation = organisation_name(session) or "Organisation"
        # Only the evidence tables: the members' own histories and audit trails are not shown here.
        tables = dict(zip([m.label for m in members],
                          members_evidence_records(session, [(m.assessment, m.label) for m in members]), strict=True))
        # Scores, metrics, findings and plans per member, kept by each member's own version: after
        # one member's change only that member is read and scored again (services.member_parts).
        parts = member_parts.parts_of(session, members, catalog)
        # Every snapshot is read once, light (columns, function scores, metrics), for the trend
        # and each member's earlier points; only the members' own Scorecards are read whole. Both
        # are kept while no snapshot changes (services.kept_trend): an autosave to a draft reads none.
        found, history = kept_trend.trend_parts(session, catalog)
        earlier = {m.label: [s for s in found if s.site_id == m.assessment.site_id and s.as_of < m.assessment.as_of]
                   for m in members}
    projector = member_parts.projector(parts, as_of)

    cards = {label: p.scorecard for label, p in parts.items()}
    metrics = pool_metrics([(label, p.pooled) for label, p in parts.items()], catalog.metric_definitions(), as_of=as_of)
    rolled = roll_up([Member(m.label, m.weight, cards[m.label]) for m in members], as_of=as_of, metrics=metrics)
    status = min((m.assessment.status for m in members), key=STATUS_RANK.index)
    questionnaire = catalog.questionnaire(rolled.questionnaire_id)
    meta = ReportMeta(
        title=REPORT_TITLE, organisation=organisation, subject=f"{organisation} (enterprise)",
        kind="enterprise", scope=rolled.scope.value, as_of=as_of, status=status,
        questionnaire=f"{rolled.questionnaire_id} {rolled.questionnaire_version}",
        generated_on=ctx.now().date(), basis=basis(members, stale, as_of),
        assessment_uid=next(m for m in (*members, *stale) if m.label == ENTERPRISE_NAME).assessment.uid,
        cautions=tuple(f"{m.label}: {caution}" for m in members
                       for caution in report_cautions(m.assessment, parts[m.label].metrics, catalog)),
    )
    node_order, node_text = framework_nodes(catalog, questionnaire)
    findings = [finding_record(f, m.label) for m in members for f in parts[m.label].findings]
    sites = [_summary(m, cards[m.label], earlier[m.label]) for m in members]
    return build_context(
        rolled, questionnaire, catalog.metric_definitions(), meta, metrics=metrics, history=history, findings=findings,
        exceptions=[e for exceptions, _ in tables.values() for e in exceptions],
        exercises=[x for _, exercises in tables.values() for x in exercises],
        sites=sites, node_order=node_order, node_text=node_text,
        site_goals={label: site_goal_status(card) for label, card in cards.items()},
        plan=projector.values(),
    )


def site_goal_status(card: Scorecard) -> dict[str, str]:
    """Each CPG goal's status at one site: the worst over the site's environments."""
    return {gid: worst_status(goal.status.values()) for gid, goal in card.cpg_goals.items()}


BASIS_NAMED = 12
"""Up to this many members the basis names each; beyond, it counts them by criticality and names
only those that differ (older date, not final) — up to BASIS_NAMED of each kind — so the sentence
stays a sentence at hundreds of sites (the workbook's Sites sheet lists every member)."""


def basis(members: list[EnterpriseMember], stale: list[EnterpriseMember], as_of: date) -> str:
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


def _counted_basis(members: list[EnterpriseMember], stale: list[EnterpriseMember], as_of: date) -> str:
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


def _summary(m: EnterpriseMember, card: Scorecard, earlier) -> SiteSummary:
    o = card.overall
    return SiteSummary(
        name=m.label, criticality=m.criticality, as_of=m.assessment.as_of, status=m.assessment.status,
        overall=Score3(o.claimed, o.verified, o.target), completion=o.completion, confidence=o.confidence,
        cpg_implemented_pct=card.cpg_implemented_pct,
        functions={k: f.combined.verified for k, f in card.functions.items()},
        previous_verified=earlier[-1].verified if earlier else None, weight=m.weight,
    )

