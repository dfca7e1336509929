"""Provisioning from the directory (issue 20): the directory's userName and
externalId of each account it manages and whether it deleted it, and the
directory's groups with their members.

Revision ID: d8e3b6a1f042
Revises: c4f7a2e9b315
Create Date: 2026-12-04 08:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8e3b6a1f042"
down_revision = "c4f7a2e9b315"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "directory_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_groups")),
        sa.UniqueConstraint(
            "display_name", name=op.f("uq_directory_groups_display_name")
        ),
    )
    op.create_table(
        "scim_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=254), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_scim_users_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_users")),
        sa.UniqueConstraint("user_id", name=op.f("uq_scim_users_user_id")),
        sa.UniqueConstraint("user_name", name=op.f("uq_scim_users_user_name")),
    )
    op.create_table(
        "directory_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["directory_groups.id"],
            name=op.f("fk_directory_group_members_group_id_directory_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_directory_group_members_user_id_users"),
        ),
        sa.PrimaryKeyConstraint(
            "group_id", "user_id", name=op.f("pk_directory_group_members")
        ),
    )
    with op.batch_alter_table("directory_group_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_directory_group_members_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("directory_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directory_group_members_user_id"))
    op.drop_table("directory_group_members")
    op.drop_table("scim_users")
    op.drop_table("directory_groups")
