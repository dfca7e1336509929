"""The price indexes end with the title, so they serve the catalogue's whole price
order (price, title; the row id follows on SQLite) and the page needs no sort.
With the price alone the planner could read either price index by its listed
prefix and sort every listed course, whichever it met first.

Revision ID: e5b1d7c3a920
Revises: a8d3f6b1c925
Create Date: 2026-12-04

"""

from alembic import op

PRICES = ("price_state", "price_municipal")

revision = "e5b1d7c3a920"
down_revision = "a8d3f6b1c925"
branch_labels = None
depends_on = None


def upgrade():
    _index_prices(with_title=True)


def downgrade():
    _index_prices(with_title=False)


def _index_prices(*, with_title: bool) -> None:
    with op.batch_alter_table("courses") as batch_op:
        for price in PRICES:
            name = f"ix_courses_{price}"
            batch_op.drop_index(name)
            title = ["title"] if with_title else []
            batch_op.create_index(name, ["archived_at", "status", price, *title])
