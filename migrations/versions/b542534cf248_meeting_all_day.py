"""Meetings can be whole days (imported all-day events).

Revision ID: b542534cf248
Revises: 96c7984a716f
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

revision = "b542534cf248"
down_revision = "96c7984a716f"
branch_labels = None
depends_on = None


def upgrade():
    # Existing meetings all have clock times; the server default fills them in.
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(
            sa.Column(
                "all_day", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("all_day")
