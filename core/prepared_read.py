"""One statement read straight through the driver, for the reads every request
makes (issue 19: the signed-in page frame's login).

A py-spy profile of the empty signed-in page (/bench/floor, in-process, SQLite)
put 19% of the page in reading the login, of which the database answering was
3.5%: the rest was SQLAlchemy's execution around a statement already compiled
and cached (a Connection, its execution context, the result's metadata, the
pool's checkout wrapped twice). A PreparedRead compiles its statement once per
dialect, with every bound value but the varying ones processed once, and runs it
on a pooled driver connection: checkout, execute, fetch one row, process its
values as SQLAlchemy's result would, return the connection to the pool.

It reads outside any transaction (SQLite's autocommit, PostgreSQL in autocommit
for the statement), so it sees what is committed and not what the caller's own
session wrote and has not: only for reads that need nothing else.

When something watches the engine's statements (the tests' query counters and
the access world's notes listen for before_cursor_execute), `watched` says so
and the caller reads through SQLAlchemy as any other read, so they see it: the
same statement and the same answer.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

_Processor = Callable[[object], object] | None


@dataclass(frozen=True)
class _Prepared:
    sql: str
    # Positional drivers (SQLite): the parameters in order, None where a
    # varying value goes; named ones (psycopg): a dict.
    positional: bool
    fixed: tuple | dict
    slots: dict[str, int]  # varying name -> position (positional drivers)
    autocommit: bool  # psycopg: read in autocommit (one round trip)


class PreparedRead:
    """`statement` with the bound names `varying` given at each call."""

    def __init__(self, statement: sa.Select, *varying: str) -> None:
        self.statement = statement
        self.varying = varying
        self._prepared: dict[str, _Prepared] = {}
        self._processors: dict[str, tuple[_Processor, ...]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def watched(engine: sa.Engine) -> bool:
        """Whether something listens to the engine's statements: then the caller
        reads through SQLAlchemy as before, so the listener sees the read."""
        dispatch = engine.dispatch
        return bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)

    def first(self, engine: sa.Engine, **values) -> tuple | None:
        """The first row, its values as SQLAlchemy's result gives them."""
        prepared = self._prepare(engine)
        if prepared.positional:
            parameters = list(prepared.fixed)
            for name, at in prepared.slots.items():
                parameters[at] = values[name]
        else:
            parameters = prepared.fixed | values
        connection = engine.raw_connection()
        try:
            driver = connection.driver_connection
            if prepared.autocommit:
                driver.autocommit = True
            try:
                cursor = connection.cursor()
                cursor.execute(prepared.sql, parameters)
                row = cursor.fetchone()
                processors = self._processors.get(engine.dialect.name)
                if processors is None:
                    processors = self._result_processors(engine, cursor.description)
                cursor.close()
            finally:
                if prepared.autocommit:
                    driver.autocommit = False
        finally:
            connection.close()  # back to the pool
        if row is None:
            return None
        return tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(processors, row, strict=True)
        )

    def _prepare(self, engine: sa.Engine) -> _Prepared:
        dialect = engine.dialect
        prepared = self._prepared.get(dialect.name)
        if prepared is not None:
            return prepared
        compiled = self.statement.compile(dialect=dialect)
        params = compiled.construct_params(
            {name: None for name in self.varying}, _check=False
        )
        for name, process in compiled._bind_processors.items():
            if name not in self.varying and params.get(name) is not None:
                params[name] = process(params[name])
        if compiled.positional:
            order = compiled.positiontup
            fixed = tuple(None if n in self.varying else params[n] for n in order)
            slots = {name: order.index(name) for name in self.varying}
            prepared = _Prepared(str(compiled), True, fixed, slots, False)
        else:
            fixed = {n: v for n, v in params.items() if n not in self.varying}
            autocommit = dialect.name == "postgresql"
            prepared = _Prepared(str(compiled), False, fixed, {}, autocommit)
        for name in self.varying:
            if name in compiled._bind_processors:
                raise ValueError(f"{name}: a varying value that needs processing")
        with self._lock:
            self._prepared[dialect.name] = prepared
        return prepared

    def _result_processors(self, engine, description) -> tuple[_Processor, ...]:
        compiled = self.statement.compile(dialect=engine.dialect)
        processors = tuple(
            column.type._cached_result_processor(engine.dialect, described[1])
            for column, described in zip(
                compiled._result_columns, description, strict=True
            )
        )
        with self._lock:
            self._processors[engine.dialect.name] = processors
        return processors
