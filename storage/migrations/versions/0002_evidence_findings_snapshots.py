"""Evidence imports (with the original file and normalised rows), findings, score snapshots.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "evidence_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(50), nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=True),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("imported_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_evidence_imports_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_imports"),
    )
    op.create_index("ix_evidence_imports_assessment_id", "evidence_imports", ["assessment_id"])
    op.create_table(
        "evidence_files",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"], name="fk_evidence_files_import_id_evidence_imports"),
        sa.PrimaryKeyConstraint("import_id", name="pk_evidence_files"),
    )
    op.create_table(
        "evidence_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"], name="fk_evidence_rows_import_id_evidence_imports"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_rows"),
    )
    op.create_index("ix_evidence_rows_import_id", "evidence_rows", ["import_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("environment", sa.String(2), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("carried", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_findings_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_assessment_id", "findings", ["assessment_id"])
    op.create_table(
        "score_snapshots",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("scope", sa.String(5), nullable=False),
        sa.Column("claimed", sa.Float(), nullable=True),
        sa.Column("verified", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("completion", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("cpg_implemented_pct", sa.Float(), nullable=True),
        sa.Column("scorecard", sa.Text(), nullable=False),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_score_snapshots_assessment_id_assessments"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_score_snapshots_site_id_sites"),
        sa.PrimaryKeyConstraint("assessment_id", name="pk_score_snapshots"),
    )
    op.create_index("ix_score_snapshots_site_id", "score_snapshots", ["site_id"])
    op.create_index("ix_score_snapshots_as_of", "score_snapshots", ["as_of"])


def downgrade() -> None:
    for table in ("score_snapshots", "findings", "evidence_rows", "evidence_files", "evidence_imports"):
        op.drop_table(table)
