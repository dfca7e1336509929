"""Internal learning: colleagues' offers and their sign-off, mentor requests and
the opt-out from being suggested.

Revision ID: 03d4d2b5dc6d
Revises: dfca90a7acd1
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "03d4d2b5dc6d"
down_revision = "dfca90a7acd1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mentor_opt_outs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mentor_opt_outs_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mentor_opt_outs")),
    )
    op.create_table(
        "mentor_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "withdrawn",
                name="requeststatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competences.id"],
            name=op.f("fk_mentor_requests_competence_id_competences"),
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_mentor_requests_mentor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["users.id"],
            name=op.f("fk_mentor_requests_requester_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_requests")),
    )
    with op.batch_alter_table("mentor_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentor_requests_mentor_id"), ["mentor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentor_requests_requester_id"),
            ["requester_id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_mentor_requests_one_pending",
            ["requester_id", "mentor_id", "competence_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )

    op.create_table(
        "internal_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_session_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("jobcentre_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "job_shadowing",
                "peer_session",
                name="offerkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_session_id"],
            ["course_sessions.id"],
            name=op.f("fk_internal_offers_course_session_id_course_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["users.id"], name=op.f("fk_internal_offers_host_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["jobcentre_id"],
            ["org_units.id"],
            name=op.f("fk_internal_offers_jobcentre_id_org_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internal_offers")),
        sa.UniqueConstraint(
            "course_session_id", name=op.f("uq_internal_offers_course_session_id")
        ),
    )
    with op.batch_alter_table("internal_offers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_internal_offers_host_id"), ["host_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_internal_offers_jobcentre_id"),
            ["jobcentre_id"],
            unique=False,
        )

    op.create_table(
        "internal_offer_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("reflected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_internal_offer_completions_booking_id_bookings"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"],
            ["users.id"],
            name=op.f("fk_internal_offer_completions_signed_off_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internal_offer_completions")),
        sa.UniqueConstraint(
            "booking_id", name=op.f("uq_internal_offer_completions_booking_id")
        ),
    )


def downgrade():
    op.drop_table("internal_offer_completions")
    with op.batch_alter_table("internal_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_internal_offers_jobcentre_id"))
        batch_op.drop_index(batch_op.f("ix_internal_offers_host_id"))

    op.drop_table("internal_offers")
    with op.batch_alter_table("mentor_requests", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentor_requests_one_pending",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_mentor_requests_requester_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_requests_mentor_id"))

    op.drop_table("mentor_requests")
    op.drop_table("mentor_opt_outs")
