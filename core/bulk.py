"""Many rows into one table on PostgreSQL through COPY, in the session's
transaction (issue 19): the calendar import's sessions and meetings, and
flask seed-scale's national dataset.

An executemany INSERT on psycopg sends one statement per row (pipelined), and
SQLAlchemy processes each row's parameters: for 5,000 meetings that was most
of an import's time on PostgreSQL. COPY streams the rows as one statement.

Each value goes through its column's bind processing (enums to their names,
instants to UTC) and the Python-side defaults an INSERT fills in (created_at
and the like) are filled in here; the server's own defaults apply to the
columns left out, as with INSERT. The caller gives ids it drew from the
sequence when it needs them back: COPY returns nothing. No ORM event runs (no
flush hook sees the rows), so callers raise what the hooks would (the feed
stamps) themselves.
"""

import sqlalchemy as sa

from core.db import db


def copy_rows(table: sa.Table, rows: list[dict]) -> None:
    """COPY `rows` (dicts with the same keys) into `table`; PostgreSQL only."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect
    given = list(rows[0])
    defaults = [
        c
        for c in table.columns
        if c.name not in given and c.default is not None and not c.default.is_sequence
    ]
    columns = [table.c[name] for name in given] + defaults
    processors = [c.type._cached_bind_processor(dialect) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            values = [row[name] for name in given]
            values += [
                c.default.arg(None) if c.default.is_callable else c.default.arg
                for c in defaults
            ]
            copy.write_row(
                [
                    value if process is None or value is None else process(value)
                    for value, process in zip(values, processors, strict=True)
                ]
            )
