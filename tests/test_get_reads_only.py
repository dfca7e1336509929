"""No GET changes the database: every demo role opens every GET route of the app,
filled in with the objects that role can reach, and a dump of every table (all
rows, in primary-key order) is the same before and after; no page even sends an
INSERT, UPDATE or DELETE.

Nothing is excluded: signing in (a POST) happens before the first dump, a page
only reads the login session (there is no "last seen" to keep), and whatever
acts (expiring offers, passing a seat on) does so in a POST or the CLI.
"""

import hashlib

import pytest
import sqlalchemy as sa

from core.db import db
from courses.calendars.models import CalendarImport, CalendarToken
from learning.internal.models import InternalOffer
from tests.routes import own_objects, seed_demo, sign_in, urls_for
from tests.test_crawl import ROLES


def dump() -> dict[str, str]:
    """Table name -> a hash of all its rows in primary-key order."""
    result = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(
            sa.select(table).order_by(*table.primary_key.columns)
        ).all()
        result[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    db.session.rollback()  # the next dump reads afresh
    return result


def reachable(person) -> dict[str, list]:
    """The route map's objects, and those of the routes it does not fill."""
    objects = own_objects(person)
    first = lambda stmt: list(db.session.scalars(stmt.limit(2)))  # noqa: E731
    objects["offer_id"] = first(sa.select(InternalOffer.id).order_by("id"))
    objects["import_id"] = first(
        sa.select(CalendarImport.id)
        .where(CalendarImport.provider_id.in_(objects["provider_id"]))
        .order_by("id")
    )
    objects["secret"] = first(
        sa.select(CalendarToken.secret).where(CalendarToken.user_id == person.id)
    )
    objects["fmt"] = ["csv", "json", "xlsx"]
    return objects


@pytest.fixture
def demo(app):
    return seed_demo(app)


@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_the_database(app, client, demo, role):
    person = demo[role]
    urls = urls_for(app, reachable(person))
    sign_in(client, person)
    assert len(urls) > 20
    writes: list[str] = []
    current = {"url": ""}

    # Which page wrote, for the message; the dumps are what the test compares.
    def _note_writes(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(f"{current['url']}: {statement.split(chr(10))[0][:80]}")

    before = dump()
    sa.event.listen(db.engine, "before_cursor_execute", _note_writes)
    try:
        for url in urls:
            current["url"] = url
            assert client.get(url).status_code < 500, url
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", _note_writes)
    after = dump()
    changed = sorted(name for name in after if after[name] != before[name])
    assert (changed, writes) == ([], [])
