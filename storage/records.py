"""Domain records the repositories return: frozen pydantic models, never ORM objects.

Callers (services, UI, CLI, exports) get plain values that cannot lazy-load or write back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from catalog.models import CRITICALITIES as CRITICALITIES
from catalog.models import Criticality, Environment
from scoring.model import Response

Status = Literal["draft", "in_review", "final"]
STATUSES: tuple[Status, ...] = ("draft", "in_review", "final")
FindingStatus = Literal["open", "in_progress", "done", "accepted"]
FINDING_STATUSES: tuple[FindingStatus, ...] = ("open", "in_progress", "done", "accepted")


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Site(Record):
    id: int
    name: str
    country: str
    criticality: Criticality
    created_at: datetime


class Assessment(Record):
    """One assessment of a site (or of the enterprise when `site_id` is None)."""

    id: int
    uid: str
    site_id: int | None
    site_name: str | None
    title: str
    scope: Literal["IT", "OT", "IT+OT"]
    as_of: date
    assessor: str
    questionnaire_id: str
    questionnaire_version: str
    framework_versions: dict[str, str]
    status: Status
    copied_from_id: int | None
    created_by: str
    created_at: datetime
    finalised_by: str | None
    finalised_at: datetime | None

    @property
    def is_final(self) -> bool:
        return self.status == "final"

    @property
    def label(self) -> str:
        return f"{self.site_name or 'Enterprise'} {self.scope} {self.as_of.isoformat()}"


class StoredResponse(Record):
    """A response as stored: the engine's fields plus who/when, review flag and version."""

    question_id: str
    environment: Environment
    current: int | None
    na: bool
    na_reason: str
    target: int | None
    notes: str
    flagged: bool
    carried: bool
    version: int
    updated_by: str
    updated_at: datetime

    def to_response(self, target_override: int | None = None) -> Response:
        """The scoring engine's input; an admin target override wins over the answered target."""
        return Response(
            question_id=self.question_id,
            environment=self.environment,
            current=None if self.na else self.current,
            na=self.na,
            na_reason=self.na_reason,
            target=target_override if target_override is not None else self.target,
            notes=self.notes,
        )


class TargetOverride(Record):
    question_id: str
    environment: Environment
    target: int
    due_date: date | None
    reason: str
    carried: bool
    set_by: str
    set_at: datetime


class Finding(Record):
    id: int
    question_id: str
    environment: Environment | None
    title: str
    owner: str
    due_date: date | None
    status: FindingStatus
    notes: str
    carried: bool
    version: int
    updated_by: str
    updated_at: datetime


class EvidenceImport(Record):
    id: int
    assessment_id: int
    dataset: str
    file_name: str
    sha256: str
    row_count: int
    mapping: dict[str, Any] | None
    imported_by: str
    imported_at: datetime


class AuditEntry(Record):
    id: int
    at: datetime
    user: str
    assessment_id: int | None
    entity: str
    entity_key: str
    action: str
    old_value: Any
    new_value: Any


class Snapshot(Record):
    """The stored score of a finalised assessment (the Scorecard JSON plus trend columns)."""

    assessment_id: int
    site_id: int | None
    site_name: str | None
    as_of: date
    scope: Literal["IT", "OT", "IT+OT"]
    claimed: float | None
    verified: float | None
    target: float | None
    completion: float
    confidence: float
    cpg_implemented_pct: float | None
    scorecard: dict[str, Any]
    metrics: dict[str, Any]
    created_at: datetime
