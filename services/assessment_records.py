"""Everything stored about one assessment, read in one session: the record the questionnaire
view, `scorecard assessment show`, scoring and the reports start from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from storage import assessments as store
from storage import evidence_imports as evidence_store
from storage import findings, responses, snapshots, targets
from storage.records import (
    Assessment,
    EvidenceImport,
    Finding,
    Snapshot,
    StoredResponse,
    TargetOverride,
)


class AssessmentDetail(BaseModel):
    """One assessment with its answers, target overrides, findings, evidence imports and, when
    final, its snapshot."""

    model_config = ConfigDict(frozen=True)

    assessment: Assessment
    responses: tuple[StoredResponse, ...]
    targets: tuple[TargetOverride, ...]
    findings: tuple[Finding, ...]
    evidence: tuple[EvidenceImport, ...]
    snapshot: Snapshot | None


def read_detail(session: Session, assessment_id: int) -> AssessmentDetail:
    """The assessment's records as they are in `session` (NotFoundError for an unknown id)."""
    return AssessmentDetail(
        assessment=store.get(session, assessment_id),
        responses=tuple(responses.list_for(session, assessment_id)),
        targets=tuple(targets.list_for(session, assessment_id)),
        findings=tuple(findings.list_for(session, assessment_id)),
        evidence=tuple(evidence_store.list_imports(session, assessment_id)),
        snapshot=snapshots.get(session, assessment_id),
    )
