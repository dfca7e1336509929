"""Password links by e-mail (invitations and resets, only the token's hash), the
kind of a counted attempt (a failed login or a password-link request), and each
person's language for notifications and mails.

Revision ID: 5a3c81e2f0b7
Revises: 73d741ef16eb
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

revision = "5a3c81e2f0b7"
down_revision = "73d741ef16eb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "invitation",
                "reset",
                name="passwordtokenpurpose",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_tokens_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_tokens_token_hash")),
    )
    with op.batch_alter_table("password_tokens") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_password_tokens_user_id"), ["user_id"], unique=False
        )
    # Every attempt counted so far was a failed login; everyone has read Danish.
    with op.batch_alter_table("login_attempts") as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind", sa.String(length=16), server_default="login", nullable=False
            )
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column(
                "language", sa.String(length=8), server_default="da", nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("login_attempts") as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("password_tokens") as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_tokens_user_id"))
    op.drop_table("password_tokens")
