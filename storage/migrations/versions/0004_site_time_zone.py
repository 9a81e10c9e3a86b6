"""Sites have a time zone (IANA name, default UTC): evidence date-times with an offset are converted
to it before their date is taken.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sites", sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"))


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("time_zone")
