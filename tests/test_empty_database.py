"""The fixture that empties the database after every test leaves nothing behind:
no row, and ids that start at 1 again, on SQLite and on PostgreSQL alike (the
PostgreSQL side truncates only the tables a test used)."""

import sqlalchemy as sa

from core.db import db
from core.people.models import UnitKind
from tests.conftest import empty_database


def _rows() -> int:
    return sum(
        db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    )


def test_emptying_leaves_no_row_and_restarts_the_ids(app, create_user, create_unit):
    create_user("manager")
    empty_database()
    assert _rows() == 0

    gone = create_unit(UnitKind.region)
    db.session.delete(gone)  # a table used, then emptied by the test itself
    db.session.commit()
    db.session.remove()
    empty_database()

    assert _rows() == 0
    assert create_unit(UnitKind.region).id == 1
