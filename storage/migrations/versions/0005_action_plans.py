"""Action plans: what a finding promises (level, evidence) and costs, the assessment's target due
date, and saved what-if plans.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)
FINDING_COLUMNS = (
    ("evidence_metric", sa.String(100)), ("evidence_value", sa.Float()), ("cost", sa.Float()), ("effort_days", sa.Float()),
)


def upgrade() -> None:
    op.add_column("findings", sa.Column("promises", sa.Text(), nullable=False, server_default="[]"))
    for name, kind in FINDING_COLUMNS:
        op.add_column("findings", sa.Column(name, kind, nullable=True))
    op.add_column("assessments", sa.Column("target_due_date", sa.Date(), nullable=True))
    op.create_table(
        "plan_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("budget", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=False),
        sa.Column("saved_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], name="fk_plan_scenarios_assessment_id_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_scenarios"),
        sa.UniqueConstraint("subject", "name", name="uq_plan_scenarios_subject"),
    )
    op.create_index("ix_plan_scenarios_assessment_id", "plan_scenarios", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_scenarios_assessment_id", table_name="plan_scenarios")
    op.drop_table("plan_scenarios")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("target_due_date")
    with op.batch_alter_table("findings") as batch:
        for name, _ in FINDING_COLUMNS:
            batch.drop_column(name)
        batch.drop_column("promises")
