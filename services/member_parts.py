"""What the enterprise view computes per member, kept in process memory by that member's own
version: rebuilt after one site's autosave, the enterprise report and plan redo that member and the
roll-up, not every member.

A member's parts (`MemberParts`): its Scorecard (the snapshot's when final, else scored now) and
the metrics it shows, its metrics with their tallies for pooling, its findings, and its plan (the
projection's subject and actions, and the `scoring.variants.Variants` that keep every hypothetical
scorecard of it already scored: the path to target's points and each action's value). Only these
are kept (not the snapshot record they were read from): a kept object is one more for every full
garbage collection to scan.

The key (`member_key`) is everything those are built from: the database, the assessment (id, uid,
status, as-of date) and the id of its latest audit row (every change to its responses, targets,
findings, evidence, target date or status writes one, storage.audit), the member's label and weight
(site name and criticality) and the content (services.stored_views.catalog_fingerprint). A change
to any of them is a new key, so a kept part is never stale; the code cannot change within a
process. At most `PARTS_KEPT` members are kept, least recently used dropped first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from evidence.metric_set import MetricSet
from scoring.model import Scorecard
from scoring.plan_model import PlannedAction, PlanSubject
from scoring.projection import Projector
from scoring.variants import Variants
from services.assessment_scoring import score_read
from services.enterprise_members import EnterpriseMember
from services.kept import Kept
from services.plan_subjects import planned_actions, subject_of
from services.stored_evidence import poolable_metrics
from services.stored_views import catalog_fingerprint
from storage import findings as finding_store
from storage import responses as response_store
from storage import snapshots as snapshot_store
from storage import targets as target_store
from storage.record_counts import last_changes
from storage.records import Finding, Snapshot, StoredResponse, TargetOverride

PARTS_KEPT = 256
"""Members kept: an enterprise of 200 sites and the old versions of the members edited since (the
least recently used go first). A member's parts take ~2 MB at the shipped questionnaire (its
Scorecard, the Variants' base scores and kept hypothetical scorecards, its inputs): ~0.5 GB at most."""


@dataclass(frozen=True)
class MemberParts:
    """One member's share of the enterprise view (module docstring)."""

    scorecard: Scorecard
    """Its Scorecard (services.assessment_scoring) with its responses, caps and gaps labelled with
    the member's site, as the roll-up lists them (scoring.enterprise.roll_up keeps a row already
    labelled as it is); its scores are the assessment's own."""
    metrics: MetricSet | None
    """The metrics it shows (its report's cautions read them)."""
    pooled: MetricSet | None
    """Its metrics with their tallies, for pooling (services.stored_evidence.poolable_metrics)."""
    findings: tuple[Finding, ...]
    subject: PlanSubject
    actions: tuple[PlannedAction, ...]
    variants: Variants


def parts_of(session: Session, members: Sequence[EnterpriseMember], catalog: Catalog) -> dict[str, MemberParts]:
    """Each member's parts by label, read in `session`: kept ones as they are, the others built."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    last = dict(last_changes(session, [m.assessment.id for m in members]))
    content = catalog_fingerprint(catalog)
    keys = [member_key(url, m, last.get(m.assessment.id), content) for m in members]
    found = _PARTS.get_many(keys, lambda missing: _build_many(session, [members[i] for i in missing], catalog))
    return {m.label: parts for m, parts in zip(members, found, strict=True)}


def member_key(url: str, m: EnterpriseMember, last_audit: int | None, content: str) -> tuple:
    """What a member's parts are built from (module docstring)."""
    a = m.assessment
    return url, a.id, a.uid, a.status, a.as_of, last_audit, m.label, m.weight, content


def projector(parts: dict[str, MemberParts], as_of: date) -> Projector:
    """The enterprise plan of these members as of the roll-up's date, scoring with their kept
    Variants (only a member that changed is scored again)."""
    return Projector([p.subject for p in parts.values()], [a for p in parts.values() for a in p.actions],
                     today=as_of, enterprise=True, variants={label: p.variants for label, p in parts.items()})


def forget_member_parts() -> None:
    """Drop every kept member (benchmarks measure the cold build with it)."""
    _PARTS.clear()


_PARTS: Kept[MemberParts] = Kept(PARTS_KEPT)


def _build_many(session: Session, members: Sequence[EnterpriseMember], catalog: Catalog) -> list[MemberParts]:
    """The members' parts, their snapshots, answers, target overrides and findings each read in one
    query for all of them (one per member cost ~2 ms each at 200 sites)."""
    ids = [m.assessment.id for m in members]
    snapshots = snapshot_store.get_many(session, ids)
    answers = response_store.list_for_many(session, ids)
    overrides = target_store.list_for_many(session, ids)
    findings = finding_store.list_for_many(session, ids)
    return [_build(session, m, catalog, snapshots.get(m.assessment.id), answers[m.assessment.id],
                   overrides[m.assessment.id], findings[m.assessment.id]) for m in members]


def _build(session: Session, m: EnterpriseMember, catalog: Catalog, snapshot: Snapshot | None,
           answers: list[StoredResponse], overrides: list[TargetOverride], findings: list[Finding]) -> MemberParts:
    scored = score_read(session, m.assessment, snapshot, catalog, answers=answers, overrides=overrides)
    pooled = poolable_metrics(session, m.assessment.id, catalog, scored.snapshot)
    found = tuple(findings)
    subject = subject_of(m.assessment, catalog, answers, overrides, site=m.label, weight=m.weight, metrics=pooled)
    card = scored.scorecard
    labelled = card.model_copy(update={
        "responses": tuple(r.model_copy(update={"site": m.label}) for r in card.responses),
        "caps": tuple(c.model_copy(update={"site": m.label}) for c in card.caps),
        "gaps": tuple(g.model_copy(update={"site": m.label}) for g in card.gaps)})
    return MemberParts(scorecard=labelled, metrics=scored.metrics, pooled=pooled, findings=found, subject=subject,
                       actions=tuple(planned_actions(found, m.label)), variants=Variants(subject))
