"""The key-person network's messages and meeting invitations (issue 17).

Revision ID: a8d3f6b1c925
Revises: f4c2a9d81e37
Create Date: 2026-12-04 05:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a8d3f6b1c925"
down_revision = "f4c2a9d81e37"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "network_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "area",
            sa.Enum(
                "gender_equality",
                "ethnic_minorities",
                "disability",
                "eures",
                name="specialistarea",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "message", "meeting", name="messagekind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind <> 'meeting' OR (starts_at IS NOT NULL AND ends_at > starts_at)",
            name=op.f("ck_network_messages_meeting_has_time"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["org_units.id"],
            name=op.f("fk_network_messages_region_id_org_units"),
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["users.id"], name=op.f("fk_network_messages_sender_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_messages")),
    )
    with op.batch_alter_table("network_messages", schema=None) as batch_op:
        batch_op.create_index("ix_network_messages_area", ["area", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_network_messages_sender_id"), ["sender_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("network_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_messages_sender_id"))
        batch_op.drop_index("ix_network_messages_area")
    op.drop_table("network_messages")
