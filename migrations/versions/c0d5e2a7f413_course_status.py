"""A course's status: a draft is seen only by its provider's staff until
published (issue 15). Every course so far has been public, so each is published.

Revision ID: c0d5e2a7f413
Revises: 5a3c81e2f0b7
Create Date: 2026-12-04

"""

import sqlalchemy as sa
from alembic import op

# The catalogue's listing indexes, led by what makes a course listed.
INDEXES = {
    "ix_courses_listing": ["title"],
    "ix_courses_category_listing": ["category_id", "title"],
    "ix_courses_provider_listing": ["provider_id", "title"],
    "ix_courses_price_state": ["price_state"],
    "ix_courses_price_municipal": ["price_municipal"],
}

revision = "c0d5e2a7f413"
down_revision = "5a3c81e2f0b7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses") as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "draft",
                    "published",
                    name="coursestatus",
                    native_enum=False,
                    length=32,
                ),
                server_default="published",
                nullable=False,
            )
        )
    # New courses get their status from the application.
    with op.batch_alter_table("courses") as batch_op:
        batch_op.alter_column("status", server_default=None)
        for name, columns in INDEXES.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, ["archived_at", "status", *columns])


def downgrade():
    with op.batch_alter_table("courses") as batch_op:
        for name, columns in INDEXES.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, ["archived_at", *columns])
        batch_op.drop_column("status")
