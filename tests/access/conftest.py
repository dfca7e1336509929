"""One seeded world for the whole package: seeding the demo takes seconds, and
the tests here only read or are refused, so they share it. A test that changes
the database marks it dirty and the next test gets it rebuilt; the package
leaves the database empty, as every other test expects to find it."""

from collections.abc import Iterator

import pytest

from core.db import db
from tests.access.world import World
from tests.conftest import empty_database


@pytest.fixture(autouse=True)
def _app_context(app) -> Iterator[None]:
    """Every test here runs in an app context; unlike elsewhere, the database is
    not emptied after each test: the world below looks after it."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture(scope="package")
def _shared_world(app) -> Iterator[World]:
    world = World(app)
    with app.app_context():
        world.writes.watch(db.engine)
    yield world
    world.writes.stop()
    with app.app_context():
        empty_database()


@pytest.fixture
def world(_shared_world: World) -> World:
    _shared_world.ensure()
    _shared_world.writes.seen.clear()
    return _shared_world


@pytest.fixture
def world_as_is(_shared_world: World) -> World:
    """The world as earlier tests left it, for a test that changes it anyway."""
    _shared_world.ensure(as_is=True)
    return _shared_world
