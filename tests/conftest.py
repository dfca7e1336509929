"""Shared fixtures: one real database per test run (SQLite file, or PostgreSQL when
TEST_DATABASE_URL says so), emptied after every test; real HTTP via the test client."""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient

from core.clock import COPENHAGEN
from core.db import db
from core.people import services as people
from core.people.models import EmployerKind, OrgUnit, Role, UnitKind, User
from tests.databases import postgres_url
from wsgi import create_app

_serial = count(1)


def _database_url(tmp_path_factory) -> str:
    return postgres_url() or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


class IsolatedClient(FlaskClient):
    """A test client whose requests run in an app context of their own, as in
    production: a fresh database session and a fresh `g` per request, even though
    the test itself holds an app context for direct database access."""

    def open(self, *args, **kwargs):
        db.session.commit()  # let the request see, and lock past, what the test wrote

        def run():
            _cv_app.set(None)
            return super(IsolatedClient, self).open(*args, **kwargs)

        try:
            return contextvars.copy_context().run(run)
        finally:
            # End the test's snapshot and forget loaded rows (see the request's writes).
            db.session.rollback()
            db.session.expire_all()


@pytest.fixture(scope="session")
def app(database_url) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "SERVER_NAME": "localhost",
            # Each test's database starts empty with the same ids: a report kept
            # from an earlier test would show its data (tests that keep set it).
            "DEMAND_REPORT_SECONDS": 0,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def checking_app(app, database_url) -> Iterator[Flask]:
    """The same app and database, with CSRF tokens checked as in production."""
    checking = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SERVER_NAME": "localhost",
        }
    )
    checking.test_client_class = IsolatedClient
    yield checking
    with checking.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(request) -> Iterator[None]:
    """Every test that uses the app runs inside an app context on an empty database."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        empty_database()


# The tables a test used: those holding a row.
_HOLDING = "(SELECT '{name}' FROM \"{name}\" LIMIT 1)"
# The id sequences a test drew from since they were last reset (last_value reads
# NULL until a number is handed out), set back so ids start at 1 as on SQLite.
_RESET_SEQUENCES = """
    SELECT setval(
        (quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass,
        start_value,
        false
    )
    FROM pg_sequences
    WHERE schemaname = current_schema() AND last_value IS NOT NULL
"""


def empty_database() -> None:
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        _empty_postgresql(tables)
        return
    # Users and teams point at each other, so no table order satisfies the foreign
    # keys; switch them off on this one connection while it empties everything.
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute("BEGIN IMMEDIATE")
        for table in tables:
            cursor.execute(f'DELETE FROM "{table.name}"')
        cursor.execute("COMMIT")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


def _empty_postgresql(tables) -> None:
    """DELETE what the test wrote, with the foreign-key triggers off for this
    transaction (users and teams point at each other, so no order of DELETEs
    satisfies them). TRUNCATE gave every table and index a new file and scanned
    the shared buffers once per relation: 0.1-0.4 s after every test, about
    half of the PostgreSQL suite. A few rows deleted cost a millisecond or so.
    Switching the triggers off needs a superuser; any other role truncates."""
    holding = " UNION ".join(_HOLDING.format(name=t.name) for t in tables)
    with db.engine.begin() as conn:
        names = sorted(conn.exec_driver_sql(holding).scalars())
        superuser = conn.exec_driver_sql("SHOW is_superuser").scalar() == "on"
        if superuser:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for name in names:
                conn.exec_driver_sql(f'DELETE FROM "{name}"')
        elif names:
            listed = ", ".join(f'"{name}"' for name in names)
            conn.exec_driver_sql(f"TRUNCATE {listed} CASCADE")
        conn.exec_driver_sql(_RESET_SEQUENCES)


@pytest.fixture
def travel(time_machine) -> Callable[..., datetime]:
    """Move the product's clock: travel(moment) holds it at `moment` (a naive
    moment is Copenhagen wall time). `server_zone="America/Los_Angeles"` also
    sets the process's local time zone, as a server elsewhere would have it;
    `tick=True` lets the clock run on from there. Returns the aware moment."""

    def move(
        moment: datetime, *, server_zone: str | None = None, tick: bool = False
    ) -> datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=COPENHAGEN)
        # time-machine takes the local zone from a ZoneInfo destination, so a
        # plain UTC instant leaves the process's own zone alone.
        zone = ZoneInfo(server_zone) if server_zone else UTC
        time_machine.move_to(moment.astimezone(zone), tick=tick)
        return moment

    return move


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def create_unit() -> Callable[..., OrgUnit]:
    def make(
        kind: UnitKind = UnitKind.team,
        name: str | None = None,
        parent: OrgUnit | None = None,
    ) -> OrgUnit:
        if kind is UnitKind.team and parent is None:
            parent = make(UnitKind.jobcentre)
        if kind is UnitKind.jobcentre and parent is None:
            parent = make(UnitKind.region)
        unit = people.create_unit(
            None, kind=kind, name=name or f"{kind.value} {next(_serial)}", parent=parent
        )
        db.session.commit()
        return unit

    return make


@pytest.fixture
def create_user(create_unit) -> Callable[..., User]:
    """Make a user; roles as strings or Role members."""

    def make(
        *roles,
        team: OrgUnit | None = None,
        password: str | None = None,
        employer_kind: EmployerKind = EmployerKind.municipal,
        email: str | None = None,
        name: str | None = None,
        **extra,
    ) -> User:
        n = next(_serial)
        user = people.create_user(
            None,
            email=email or f"person{n}@jobcenter.demo.dk",
            name=name or f"Person {n}",
            password=password,
            roles=[
                Role(r) if isinstance(r, str) else r for r in roles or ("employee",)
            ],
            employer_kind=employer_kind,
            team=team,
        )
        for key, value in extra.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client, create_user, create_unit) -> Callable[..., User]:
    """Sign the test client in as a user (or a new user with the given role),
    through a real server-side login session, without paying for password hashing."""

    def sign_in(who: str | Role | User = "employee", **kwargs) -> User:
        if isinstance(who, User):
            user = who
        else:
            role = Role(who) if isinstance(who, str) else who
            team = kwargs.pop("team", None)
            if team is None and role in (Role.employee, Role.manager, Role.coordinator):
                team = create_unit(UnitKind.team)
            user = create_user(role, team=team, **kwargs)
            if role is Role.manager:
                team.manager = user
                db.session.commit()
        people.start_login_session(user, lifetime=timedelta(hours=1))
        db.session.commit()
        with client.session_transaction() as sess:
            sess["_user_id"] = user.current_login_token
            sess["_fresh"] = True
        return user

    return sign_in


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        if (
            not statement.lstrip()
            .upper()
            .startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE"))
        ):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def count_queries():
    return counting_queries
