"""The regional specialist functions of the four areas and their staff (issue 17).

Revision ID: d7a41c9e2b58
Revises: c0d5e2a7f413
Create Date: 2026-12-04 04:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d7a41c9e2b58"
down_revision = "c0d5e2a7f413"
branch_labels = None
depends_on = None

AREA = sa.Enum(
    "gender_equality",
    "ethnic_minorities",
    "disability",
    "eures",
    name="specialistarea",
    native_enum=False,
    length=32,
)


def upgrade():
    op.create_table(
        "specialist_functions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", AREA, nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["org_units.id"],
            name=op.f("fk_specialist_functions_region_id_org_units"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_specialist_functions")),
        sa.UniqueConstraint(
            "area", "region_id", name=op.f("uq_specialist_functions_area_region_id")
        ),
    )
    with op.batch_alter_table("specialist_functions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_specialist_functions_area"), ["area"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_specialist_functions_region_id"), ["region_id"], unique=False
        )

    op.create_table(
        "specialist_staff",
        sa.Column("function_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["specialist_functions.id"],
            name=op.f("fk_specialist_staff_function_id_specialist_functions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_specialist_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint(
            "function_id", "user_id", name=op.f("pk_specialist_staff")
        ),
    )
    with op.batch_alter_table("specialist_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_specialist_staff_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("specialist_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_specialist_staff_user_id"))
    op.drop_table("specialist_staff")
    with op.batch_alter_table("specialist_functions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_specialist_functions_region_id"))
        batch_op.drop_index(batch_op.f("ix_specialist_functions_area"))
    op.drop_table("specialist_functions")
