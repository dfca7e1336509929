"""Which competences a course develops, and the evidence completions leave.

Revision ID: dfca90a7acd1
Revises: 05edce5ed859
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

revision = "dfca90a7acd1"
down_revision = "05edce5ed859"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "course_competences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "level >= 1", name=op.f("ck_course_competences_level_positive")
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competences.id"],
            name=op.f("fk_course_competences_competence_id_competences"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_competences_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_competences")),
        sa.UniqueConstraint(
            "course_id",
            "competence_id",
            name=op.f("uq_course_competences_course_id_competence_id"),
        ),
    )
    op.create_index(
        op.f("ix_course_competences_competence_id"),
        "course_competences",
        ["competence_id"],
    )
    op.create_index(
        op.f("ix_course_competences_course_id"), "course_competences", ["course_id"]
    )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "course",
                "job_shadowing",
                name="evidencekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_evidence_booking_id_bookings"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competences.id"],
            name=op.f("fk_evidence_competence_id_competences"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=op.f("fk_evidence_person_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint(
            "booking_id",
            "competence_id",
            name=op.f("uq_evidence_booking_id_competence_id"),
        ),
    )
    op.create_index(op.f("ix_evidence_competence_id"), "evidence", ["competence_id"])
    op.create_index(
        "ix_evidence_person_competence", "evidence", ["person_id", "competence_id"]
    )


def downgrade():
    op.drop_index("ix_evidence_person_competence", table_name="evidence")
    op.drop_index(op.f("ix_evidence_competence_id"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_index(
        op.f("ix_course_competences_course_id"), table_name="course_competences"
    )
    op.drop_index(
        op.f("ix_course_competences_competence_id"), table_name="course_competences"
    )
    op.drop_table("course_competences")
