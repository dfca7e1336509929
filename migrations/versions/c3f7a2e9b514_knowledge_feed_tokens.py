"""Private feed addresses for the specialist areas' knowledge (issue 17).

Revision ID: c3f7a2e9b514
Revises: d8e3b6a1f042
Create Date: 2026-12-04 07:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c3f7a2e9b514"
down_revision = "d8e3b6a1f042"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "knowledge_feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_knowledge_feed_tokens_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_feed_tokens")),
        sa.UniqueConstraint("secret", name=op.f("uq_knowledge_feed_tokens_secret")),
        sa.UniqueConstraint("user_id", name=op.f("uq_knowledge_feed_tokens_user_id")),
    )


def downgrade():
    op.drop_table("knowledge_feed_tokens")
