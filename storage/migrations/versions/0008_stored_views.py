"""Stored views: a report view-model (dashboard, board PDF, workbook, JSON) kept under the key of
everything it was built from (services.stored_views), so another process or user reads it instead
of rebuilding it. A cache: every row can be deleted at any time, and the downgrade drops the table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_views",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("view", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_stored_views"),
    )
    op.create_index("ix_stored_views_created_at", "stored_views", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_stored_views_created_at", table_name="stored_views")
    op.drop_table("stored_views")
