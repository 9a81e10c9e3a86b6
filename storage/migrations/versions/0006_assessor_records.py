"""What the assessor's records need to stay honest: the reason an admin finalised an assessment
without the in-review step or a complete questionnaire, the rows an import left out as invalid, and
evidence carried forward from the previous assessment.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("final_override", sa.Text(), nullable=False, server_default=""))
    op.add_column("evidence_imports", sa.Column("left_out_rows", sa.Text(), nullable=False, server_default="[]"))
    op.add_column("evidence_imports", sa.Column("carried", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("evidence_imports") as batch:
        batch.drop_column("carried")
        batch.drop_column("left_out_rows")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("final_override")
