"""On SQLite, writers take turns at a lock file beside the database before BEGIN
IMMEDIATE (core.db), so a waiting writer starts as soon as the last one ends
rather than after SQLite's busy handler has slept up to 100 ms. The turn must be
given back however the transaction ends, or every later write would wait out
the busy timeout."""

import fcntl
import os
import threading

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import OrgUnit, UnitKind


@pytest.fixture
def turns(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the turns are SQLite's; PostgreSQL has row locks")
    path = f"{db.engine.url.database}.writers"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    yield fd
    os.close(fd)


def _free(fd: int) -> bool:
    """Whether another writer could take its turn now."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def _add_unit(connection: sa.Connection, name: str) -> None:
    connection.execute(sa.insert(OrgUnit).values(name=name, kind=UnitKind.region.name))


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_a_writer_holds_its_turn_until_its_transaction_ends(turns, end):
    with db.engine.connect() as connection:
        assert _free(turns)
        connection.begin()  # not a GET: the write lock is taken at BEGIN
        _add_unit(connection, "Region Nordjylland")
        assert not _free(turns)
        getattr(connection, end)()
        assert _free(turns)


def test_a_writer_waiting_for_its_turn_writes_when_the_first_commits(turns):
    engine = db.engine  # the second writer's thread has no app context
    first = engine.connect()
    started, done, failed = threading.Event(), threading.Event(), []

    def second_writer():
        try:
            with engine.connect() as connection:
                started.set()
                with connection.begin():
                    _add_unit(connection, "Region Sjælland")
        except Exception as error:  # reported below, in the test's thread
            failed.append(error)
        done.set()

    try:
        first.begin()
        _add_unit(first, "Region Hovedstaden")
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait(5)
        waited = not done.wait(0.3)  # its turn not yet come: not beside the first
        first.commit()
    finally:
        first.close()
    thread.join(10)

    assert waited
    assert failed == []
    assert _free(turns)
    names = db.session.scalars(sa.select(OrgUnit.name).order_by(OrgUnit.name)).all()
    assert names == ["Region Hovedstaden", "Region Sjælland"]
