"""Domain records the repositories return: frozen pydantic models, never ORM objects.

Callers (services, UI, CLI, exports) get plain values that cannot lazy-load or write back.

Each record comes in two layers: `...Data` holds what the record says in any database (the part a
bundle carries, services.bundle_format), and the stored record adds this database's ids and joined
names. Field names equal the table attributes (storage.tables), so repositories and bundles copy
rows field by field without lists of names: a new column is one field here, one column there and a
migration. The field types carry the domain rules every stored value already obeys (levels 0–5,
versions from 1, timezone-aware times, the allowed statuses), so a record read from a bundle is held
to the same rules as one written through the services.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer

from catalog.models import CRITICALITIES as CRITICALITIES
from catalog.models import Criticality, Environment, Level
from evidence.metric_set import MetricSet
from scoring.model import Response, Scorecard
from scoring.plan_model import Promise

Status = Literal["draft", "in_review", "final"]
STATUSES: tuple[Status, ...] = ("draft", "in_review", "final")
FindingStatus = Literal["open", "in_progress", "done", "accepted"]
FINDING_STATUSES: tuple[FindingStatus, ...] = ("open", "in_progress", "done", "accepted")
ScopeValue = Literal["IT", "OT", "IT+OT"]
Version = Annotated[int, Field(ge=1)]
"""Optimistic version of a response or finding: 1 when created, +1 per change."""


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", from_attributes=True)


class SiteData(Record):
    name: str
    country: str
    criticality: Criticality


class Site(SiteData):
    id: int
    created_at: AwareDatetime
    time_zone: str = "UTC"
    """IANA time zone name (e.g. Europe/Berlin): evidence date-times with an offset are converted to
    it before their date is taken. Not carried by bundles (format 2): a site a bundle creates is UTC."""


class AssessmentData(Record):
    """One assessment of a site (or of the enterprise when it has no site), without ids."""

    uid: str
    title: str
    scope: ScopeValue
    as_of: date
    assessor: str
    questionnaire_id: str
    questionnaire_version: str
    framework_versions: dict[str, str]
    status: Status
    created_by: str
    created_at: AwareDatetime
    finalised_by: str | None
    finalised_at: AwareDatetime | None
    unverified: bool
    """Imported from a bundle whose signature could not be verified (always a draft when imported)."""
    target_due_date: date | None = None
    """When the overall target (the target profile) is due for this assessment; None: the
    questionnaire's `target_profile.due_date`, if any."""

    @property
    def is_final(self) -> bool:
        return self.status == "final"


class Assessment(AssessmentData):
    id: int
    site_id: int | None
    site_name: str | None
    copied_from_id: int | None

    @property
    def label(self) -> str:
        return f"{self.site_name or 'Enterprise'} {self.scope} {self.as_of.isoformat()}"


class StoredResponse(Record):
    """A response as stored: the engine's fields plus who/when, review flag and version."""

    question_id: str
    environment: Environment
    current: Level | None
    na: bool
    na_reason: str
    target: Level | None
    notes: str
    flagged: bool
    carried: bool
    version: Version
    updated_by: str
    updated_at: AwareDatetime

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
    target: Level
    due_date: date | None
    reason: str
    carried: bool
    set_by: str
    set_at: AwareDatetime


class FindingData(Record):
    """A finding and the action that closes it. The plan fields say what the action promises when
    done: the levels it brings answers to (`promises`: question, environment or None for every
    one, level), the evidence it will produce (`evidence_metric` reaching `evidence_value`, in the
    metric's unit, in the finding's environment), and its estimated `cost` (the organisation's
    currency) and `effort_days` (person-days). All optional."""

    question_id: str
    environment: Environment | None
    title: str
    owner: str
    due_date: date | None
    status: FindingStatus
    notes: str
    carried: bool
    version: Version
    updated_by: str
    updated_at: AwareDatetime
    promises: tuple[Promise, ...] = ()
    evidence_metric: str | None = None
    evidence_value: float | None = None
    cost: Annotated[float, Field(ge=0)] | None = None
    effort_days: Annotated[float, Field(ge=0)] | None = None


class Finding(FindingData):
    id: int


class PlanScenario(Record):
    """A saved what-if plan: exactly the actions (finding ids) it includes, an optional budget
    ceiling, for the subject "assessment:<id>" or "enterprise"."""

    id: int
    subject: str
    assessment_id: int | None
    name: str
    actions: tuple[int, ...]
    budget: float | None
    notes: str
    saved_by: str
    saved_at: AwareDatetime


class EvidenceImportData(Record):
    dataset: str
    file_name: str
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    row_count: Annotated[int, Field(ge=0)]
    mapping: dict[str, Any] | None
    """The mapping file used, as {"file_name", "text"}, or None."""
    imported_by: str
    imported_at: AwareDatetime


class EvidenceImport(EvidenceImportData):
    id: int
    assessment_id: int


class AuditData(Record):
    at: AwareDatetime
    user: str
    entity: str
    entity_key: str
    action: str
    old_value: Any
    new_value: Any


class AuditEntry(AuditData):
    id: int
    assessment_id: int | None


NO_METRICS: dict[str, Any] = {}
"""A snapshot without metrics (finalised without evidence) as stored and carried in bundles."""


def snapshot_values(values: dict[str, Any]) -> dict[str, Any]:
    """Stored snapshot fields as the record takes them: NO_METRICS read as None."""
    return {**values, "metrics": None} if values.get("metrics") == NO_METRICS else values


class SnapshotData(Record):
    """The stored score of a finalised assessment: its Scorecard and the metrics it was scored with
    (None when it was finalised without evidence, written as NO_METRICS; read rows and bundle files
    through `snapshot_values`). The trend columns of `Snapshot` are derived from the Scorecard when
    it is saved (storage.snapshots)."""

    scorecard: Scorecard
    metrics: MetricSet | None
    created_by: str
    created_at: AwareDatetime

    @field_serializer("metrics")
    def _metrics_as_stored(self, metrics: MetricSet | None, info) -> Any:
        return NO_METRICS if metrics is None else metrics.model_dump(mode=info.mode)


class SnapshotSummary(Record):
    """A finalised assessment's headline figures (the trend columns), without its Scorecard."""

    assessment_id: int
    site_id: int | None
    site_name: str | None
    as_of: date
    scope: ScopeValue
    claimed: float | None
    verified: float | None
    target: float | None
    completion: float
    confidence: float
    cpg_implemented_pct: float | None
    created_by: str
    created_at: AwareDatetime


class Snapshot(SnapshotData, SnapshotSummary):
    """A stored snapshot: its Scorecard and metrics, and the trend columns."""


def fields_of(row: Any, model: type[Record], *, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    """The attributes of a table row (or any object) that `model` has fields for, by name."""
    return {name: getattr(row, name) for name in model.model_fields if name not in skip}
