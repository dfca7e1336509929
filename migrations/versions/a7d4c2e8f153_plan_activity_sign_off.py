"""A plan activity led by a named colleague is signed off by that colleague
(issue 13): who marked an activity done, and the colleague's note.

Revision ID: a7d4c2e8f153
Revises: c3f7a2e9b514
Create Date: 2026-12-04 11:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7d4c2e8f153"
down_revision = "c3f7a2e9b514"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_activities") as batch_op:
        batch_op.add_column(sa.Column("completed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("completion_note", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_activities_completed_by_id_users"),
            "users",
            ["completed_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("plan_activities") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_plan_activities_completed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("completion_note")
        batch_op.drop_column("completed_by_id")
