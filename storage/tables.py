"""The tables, as SQLAlchemy 2 declarative classes. Migrations in `storage/migrations/` create them;
a test checks that the migrated schema and these classes agree.

Conventions: times are timezone-aware UTC; levels are 0–5 integers; free JSON lives in Text
columns as canonical JSON text (`JSONText`: portable across SQLite and PostgreSQL, byte-stable for
bundles, decoded on read). Evidence rows are kept as one JSON object per row in plain Text, decoded
in bulk by `storage.evidence_store` (see `docs/deployment.md`, "Evidence rows").

Attribute names follow the domain records (`storage.records`) field for field, so a repository
builds a record with `Model.model_validate(row, from_attributes=True)` and a new column is one
field in the table, one in the record and one migration.
"""

from __future__ import annotations

from datetime import UTC as TZ_UTC
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.jsontext import dumps, loads

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC time on both backends (SQLite keeps no zone, so we attach it on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(TZ_UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=TZ_UTC) if value.tzinfo is None else value.astimezone(TZ_UTC)


UTC = UTCDateTime()


class JSONText(TypeDecorator):
    """Any JSON value stored as canonical JSON text (storage.jsontext); Python None is SQL NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else dumps(value)

    def process_result_value(self, value, dialect):
        return loads(value)


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTC)


class SiteRow(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(100))
    criticality: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTC)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    """IANA time zone of the site (revision 0004): evidence date-times with an
    offset are converted to it before their date is taken."""


class AssessmentRow(Base):
    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str] = mapped_column(String(5))
    as_of: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    framework_versions: Mapped[dict] = mapped_column(JSONText)
    status: Mapped[str] = mapped_column(String(20))
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTC)
    finalised_by: Mapped[str | None] = mapped_column(String(200))
    finalised_at: Mapped[datetime | None] = mapped_column(UTC)
    unverified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Imported from a bundle whose signature was not verified (revision 0003)."""
    target_due_date: Mapped[date | None] = mapped_column(Date)
    """When the overall target (the target profile) is due, if this assessment sets it (revision 0005)."""
    final_override: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why an admin finalised without the in-review step or a complete questionnaire; "" when the
    rules were met (revision 0006)."""


class ResponseRow(Base):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id", "environment"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    environment: Mapped[str] = mapped_column(String(2))
    current: Mapped[int | None] = mapped_column(Integer)
    na: Mapped[bool] = mapped_column(Boolean)
    na_reason: Mapped[str] = mapped_column(Text)
    target: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text)
    flagged: Mapped[bool] = mapped_column(Boolean)
    carried: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTC)


class TargetOverrideRow(Base):
    __tablename__ = "target_overrides"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id", "environment"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    question_id: Mapped[str] = mapped_column(String(100))
    environment: Mapped[str] = mapped_column(String(2))
    target: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    carried: Mapped[bool] = mapped_column(Boolean)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UTC)


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTC, index=True)
    user: Mapped[str] = mapped_column("user_name", String(200))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_key: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[object | None] = mapped_column(JSONText)
    new_value: Mapped[object | None] = mapped_column(JSONText)


# --- revision 0002: evidence, findings, snapshots -----------------------------------------------


class EvidenceImportRow(Base):
    __tablename__ = "evidence_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    dataset: Mapped[str] = mapped_column(String(50))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    mapping: Mapped[dict | None] = mapped_column(JSONText)
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTC)
    left_out_rows: Mapped[list] = mapped_column(JSONText, default=list, server_default="[]")
    """Row numbers of the file left out as invalid ("keep only the valid rows"; revision 0006)."""
    carried: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Copied from the previous assessment's evidence (imported_by/at stay the original's; revision 0006)."""


class EvidenceFileChunkRow(Base):
    """A piece of an import's original file, in order (revision 0007: one row per file before)."""

    __tablename__ = "evidence_file_chunks"
    import_id: Mapped[int] = mapped_column(ForeignKey("evidence_imports.id"), primary_key=True)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class EvidencePartRow(Base):
    """One Parquet part of an import's normalised rows (evidence.columnar; revision 0007)."""

    __tablename__ = "evidence_parts"
    import_id: Mapped[int] = mapped_column(ForeignKey("evidence_imports.id"), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    row_count: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FindingRow(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    environment: Mapped[str | None] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text)
    carried: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTC)
    # revision 0005: what the action promises and costs (all optional)
    promises: Mapped[list] = mapped_column(JSONText, default=list, server_default="[]")
    evidence_metric: Mapped[str | None] = mapped_column(String(100))
    evidence_value: Mapped[float | None] = mapped_column(Float)
    cost: Mapped[float | None] = mapped_column(Float)
    effort_days: Mapped[float | None] = mapped_column(Float)


class SnapshotRow(Base):
    __tablename__ = "score_snapshots"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(String(5))
    claimed: Mapped[float | None] = mapped_column(Float)
    verified: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    completion: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    cpg_implemented_pct: Mapped[float | None] = mapped_column(Float)
    scorecard: Mapped[dict] = mapped_column(JSONText)
    metrics: Mapped[dict] = mapped_column(JSONText)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTC)


# --- revision 0005: saved what-if plans -----------------------------------------------------


class PlanScenarioRow(Base):
    """A named what-if plan: the actions it includes and an optional budget ceiling. `subject` is
    "assessment:<id>" or "enterprise"; `assessment_id` is set for an assessment's plans."""

    __tablename__ = "plan_scenarios"
    __table_args__ = (UniqueConstraint("subject", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    actions: Mapped[list] = mapped_column(JSONText)
    budget: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(UTC)


# --- revision 0008: stored views --------------------------------------------------------------


class StoredViewRow(Base):
    """A report view-model kept under the key of what it was built from (services.stored_views);
    `payload` is its compressed JSON. A cache: any row may be deleted at any time."""

    __tablename__ = "stored_views"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    view: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTC, index=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
