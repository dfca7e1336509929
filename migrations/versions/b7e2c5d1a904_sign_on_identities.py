"""The provider's subject id of each account that signs in through the
organisation's OpenID provider (issue 20, single sign-on).

Revision ID: b7e2c5d1a904
Revises: e5b1d7c3a920
Create Date: 2026-12-04 07:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7e2c5d1a904"
down_revision = "e5b1d7c3a920"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_on_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sign_on_identities_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_on_identities")),
        sa.UniqueConstraint(
            "issuer", "subject", name=op.f("uq_sign_on_identities_issuer_subject")
        ),
        sa.UniqueConstraint(
            "issuer", "user_id", name=op.f("uq_sign_on_identities_issuer_user_id")
        ),
    )
    with op.batch_alter_table("sign_on_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_on_identities_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("sign_on_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_on_identities_user_id"))
    op.drop_table("sign_on_identities")
