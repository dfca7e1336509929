"""The declarative base, column types and per-connection database settings."""

import enum
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

from core import clock
from core.prepared_read import PreparedRead

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC (core.clock.now)."""
    return clock.now()


class UTCDateTime(sa.TypeDecorator):
    """An instant stored in UTC and always read back timezone-aware.

    SQLite has no time zones, so the value is stored naive in UTC there; a naive
    value from Python is refused rather than guessed at.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carries both settings: Flask-SQLAlchemy subclasses this base,
    # and SQLAlchemy refuses a per-class type_annotation_map beside a registry.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime(),
            date: sa.Date(),
            Decimal: sa.Numeric(12, 2),
            dict[str, Any]: sa.JSON(),
            enum.Enum: sa.Enum(enum.Enum, native_enum=False, length=32),
        },
    )


intpk = Annotated[int, mapped_column(primary_key=True)]

db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

# Read-only requests start SQLite transactions deferred; everything else (other
# requests, the CLI, tests) takes the write lock at BEGIN, so a read-then-write can
# never fail half-way on a lock upgrade. The web layer says which requests read.
_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)
_reads_only: ContextVar[bool] = ContextVar("reads_only", default=False)
# Set inside single_read on SQLite: its connection sends no BEGIN.
_no_begin: ContextVar[bool] = ContextVar("no_begin", default=False)


@contextmanager
def write_intent() -> Iterator[None]:
    """Make transactions begun inside the block take SQLite's write lock at once."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def set_reads_only(reads_only: bool) -> Token:
    """Say whether what runs now only reads (a GET); reset with the token."""
    return _reads_only.set(reads_only)


def reset_reads_only(token: Token) -> None:
    _reads_only.reset(token)


def reads_only() -> bool:
    """Whether what runs now only reads (a GET or HEAD, as the web layer says)."""
    return _reads_only.get()


def _wants_write_lock() -> bool:
    return _write_intent.get() or not _reads_only.get()


@contextmanager
def single_read() -> Iterator[sa.Connection]:
    """A connection for a read of one statement that needs no transaction.

    On PostgreSQL it runs in autocommit: one round trip instead of three (BEGIN,
    the statement, ROLLBACK), which is most of the cost of an answer such as a
    calendar feed's 304. On SQLite it is a connection of its own on which no
    BEGIN is sent: the statement reads in SQLite's autocommit, and a request that
    reads nothing else begins and rolls back no transaction (the signed-in page
    frame's login, issue 19). Either way it does not see what the request's own
    session wrote and has not committed.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            yield connection.execution_options(isolation_level="AUTOCOMMIT")
            return
        token = _no_begin.set(True)
        try:
            yield connection
        finally:
            _no_begin.reset(token)


def committed_first(read: PreparedRead, **values) -> tuple | None:
    """The first row of `read` as committed, for a read that needs nothing else
    from the request's transaction: straight through the driver (one round trip,
    no SQLAlchemy around it), or, while something watches the engine's statements
    (the tests' counters), the same statement through single_read so it is seen."""
    engine = db.engine
    if not read.watched(engine):
        return read.first(engine, **values)
    with single_read() as connection:
        return connection.execute(read.statement, values).first()


def end_unwritten_transaction() -> None:
    """End the request's transaction with COMMIT on PostgreSQL when it wrote
    nothing, where closing the session would send ROLLBACK.

    psycopg forgets every statement it prepared on a connection at a ROLLBACK
    (and asks the server to DEALLOCATE ALL), and counts uses towards preparing
    from zero again. Every page read in a transaction that ended so: no
    statement ever reached psycopg's fifth use on a connection, and the server
    planned each one anew at every request (issue 19: 2-7 ms of planning for
    0.2 ms of execution in the personal feed's EXPLAIN ANALYZE). A COMMIT of a
    transaction that wrote nothing is the same to the database as a ROLLBACK.

    A read-only request (a GET) holding no change is committed. Any other
    request that left its transaction open (a refused sign-in, a form sent
    back with its errors) is committed only when PostgreSQL says the
    transaction has written nothing (no transaction id assigned: any insert,
    update, delete or row lock assigns one); anything else is rolled back as
    before. A flood of refused sign-ins rolled back hundreds of transactions a
    second and so kept the pool's connections from ever keeping a prepared
    statement: the signed-in pages beside it were planned anew at every request
    (bench_login_flood: 219 req/s flooded against 718 alone).
    """
    registry = db.session.registry
    if not registry.has():
        return
    session = registry()
    transaction = session.get_transaction()
    changed = session.new or session.dirty or session.deleted
    if transaction is None or not transaction.is_active or changed:
        return
    if session.get_bind().dialect.name != "postgresql":
        return
    if not reads_only() and _may_have_written(session):
        return
    session.commit()


def _may_have_written(session) -> bool:
    # Straight through the driver, as the COMMIT or ROLLBACK after it: ending
    # the transaction is not one of the request's reads. A transaction a failed
    # statement left aborted can only be rolled back.
    driver = session.connection().connection.driver_connection
    if driver.info.transaction_status.name != "INTRANS":
        return True
    with driver.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
        return cursor.fetchone()[0]


def plain_rows(statement, params: dict | None = None) -> sa.CursorResult:
    """`statement`'s rows as plain tuples through the session's connection, after
    flushing what the session holds (what its autoflush would have done): no ORM
    object built per row, which on the hot read pages cost more than the query
    (issue 19)."""
    db.session.flush()
    return db.session.connection().execute(statement, params)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def configure_engine(engine: sa.Engine, busy_timeout_ms: int) -> None:
    """Per-connection settings: SQLite gets WAL, foreign keys and a busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take BEGIN out of pysqlite's hands so we can choose IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        # SQLite's own lower() folds only ASCII, so a search for 'ærø' missed
        # 'Ærø'; PostgreSQL's folds every letter. Replace it on each connection.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    turns = _lock_file(engine.url)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if _no_begin.get():
            return  # single_read: the statement reads in SQLite's autocommit
        if not _wants_write_lock():
            connection.exec_driver_sql("BEGIN")
            return
        if turns:
            _take_turn(connection.connection.info, turns, busy_timeout_ms / 1000)
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection):
        _give_turn(connection.connection.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        _give_turn(record.info)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection, record):
        _give_turn(record.info)
        if (fd := record.info.pop("turn_fd", None)) is not None:
            os.close(fd)


# Writers to one SQLite file take turns at a lock file beside it before BEGIN
# IMMEDIATE (issue 19). Without it they queued in SQLite's busy handler, which
# sleeps in steps growing to 100 ms however soon the lock is free: under the
# booking POST benchmark (2 workers, 4 threads each) py-spy found the waiting
# threads asleep there, p50 25 ms and p99 1.3 s for 8-15 ms of CPU. A writer
# asks for its turn every millisecond instead, so it starts within about one
# of the last one's end. The turn is given back just before COMMIT or ROLLBACK
# is sent, so the next writer may still meet the lock for that moment (SQLite's
# first waits are 1-2 ms). Bounded by the busy timeout: past it, BEGIN IMMEDIATE
# waits in SQLite as before. A process that dies holding a turn loses it with
# its file descriptors; every process on the machine shares the file.
#
# Within a process the writers first queue on a thread lock (asleep, woken the
# moment the last one gives its turn back), and only its holder asks for the
# file: with every writer polling, the waiting threads of the booking POST
# benchmark woke a thousand times a second each, CPU the writers needed.
_TURN_POLL = 0.001
_PROCESS_TURNS: dict[str, threading.Lock] = {}


def _lock_file(url: sa.URL) -> str | None:
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return f"{database}.writers"


def _take_turn(info: dict, path: str, patience: float) -> None:
    fd = info.get("turn_fd")
    if fd is None:
        fd = info["turn_fd"] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + patience
    if "turn_in_process" not in info:  # not already ours (a BEGIN that failed)
        in_process = _PROCESS_TURNS.setdefault(path, threading.Lock())
        if not in_process.acquire(timeout=patience):
            return  # let SQLite's own busy timeout decide
        info["turn_in_process"] = in_process
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() > deadline:
                return  # as above; the thread lock is given back at the end
            time.sleep(_TURN_POLL)
        else:
            info["turn_held"] = True
            return


def _give_turn(info: dict) -> None:
    if info.pop("turn_held", False):
        fcntl.flock(info["turn_fd"], fcntl.LOCK_UN)
    if (in_process := info.pop("turn_in_process", None)) is not None:
        in_process.release()


def render_migration_item(type_: str, obj, autogen_context):
    """Write our column types into migrations as plain SQLAlchemy types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
