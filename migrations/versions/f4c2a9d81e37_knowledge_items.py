"""Knowledge items of the specialist areas, their competences, the readings
they became in development plans, and the courses linked to an area (issue 17).

Revision ID: f4c2a9d81e37
Revises: e3b8f1a2c4d6
Create Date: 2026-12-04 05:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f4c2a9d81e37"
down_revision = "e3b8f1a2c4d6"
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, length=32)


AREA = ("gender_equality", "ethnic_minorities", "disability", "eures")


def upgrade():
    op.create_table(
        "knowledge_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", _enum("specialistarea", *AREA), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            _enum("itemkind", "news", "guidance", "link", "document"),
            nullable=False,
        ),
        sa.Column(
            "status",
            _enum("itemstatus", "draft", "published", "archived"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_type", sa.String(length=120), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_knowledge_items_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["specialist_functions.id"],
            name=op.f("fk_knowledge_items_function_id_specialist_functions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_items")),
    )
    with op.batch_alter_table("knowledge_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_knowledge_items_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_knowledge_items_function_id"), ["function_id"], unique=False
        )
        batch_op.create_index(
            "ix_knowledge_items_listing",
            ["area", "status", "published_at"],
            unique=False,
        )

    op.create_table(
        "knowledge_item_competences",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competences.id"],
            name=op.f("fk_knowledge_item_competences_competence_id_competences"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["knowledge_items.id"],
            name=op.f("fk_knowledge_item_competences_item_id_knowledge_items"),
        ),
        sa.PrimaryKeyConstraint(
            "item_id", "competence_id", name=op.f("pk_knowledge_item_competences")
        ),
    )
    with op.batch_alter_table("knowledge_item_competences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_knowledge_item_competences_competence_id"),
            ["competence_id"],
            unique=False,
        )

    op.create_table(
        "knowledge_readings",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["plan_activities.id"],
            name=op.f("fk_knowledge_readings_activity_id_plan_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["knowledge_items.id"],
            name=op.f("fk_knowledge_readings_item_id_knowledge_items"),
        ),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_knowledge_readings")),
    )
    with op.batch_alter_table("knowledge_readings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_knowledge_readings_item_id"), ["item_id"], unique=False
        )

    op.create_table(
        "specialist_area_courses",
        sa.Column("area", _enum("specialistarea", *AREA), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_specialist_area_courses_course_id_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["specialist_functions.id"],
            name=op.f("fk_specialist_area_courses_function_id_specialist_functions"),
        ),
        sa.PrimaryKeyConstraint(
            "area", "course_id", name=op.f("pk_specialist_area_courses")
        ),
    )
    with op.batch_alter_table("specialist_area_courses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_specialist_area_courses_course_id"),
            ["course_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_specialist_area_courses_function_id"),
            ["function_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("specialist_area_courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_specialist_area_courses_function_id"))
        batch_op.drop_index(batch_op.f("ix_specialist_area_courses_course_id"))
    op.drop_table("specialist_area_courses")
    with op.batch_alter_table("knowledge_readings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_readings_item_id"))
    op.drop_table("knowledge_readings")
    with op.batch_alter_table("knowledge_item_competences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_item_competences_competence_id"))
    op.drop_table("knowledge_item_competences")
    with op.batch_alter_table("knowledge_items", schema=None) as batch_op:
        batch_op.drop_index("ix_knowledge_items_listing")
        batch_op.drop_index(batch_op.f("ix_knowledge_items_function_id"))
        batch_op.drop_index(batch_op.f("ix_knowledge_items_author_id"))
    op.drop_table("knowledge_items")
