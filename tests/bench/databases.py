"""The PostgreSQL database a benchmark may use, when one is configured."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa


def postgres_url(suffix: str = "") -> str | None:
    """BENCH_DATABASE_URL as given, or a sibling of TEST_DATABASE_URL (never the
    test database itself, which the benchmark would overwrite), with `suffix`
    added to its name; created if missing."""
    bench = os.environ.get("BENCH_DATABASE_URL", "")
    test = os.environ.get("TEST_DATABASE_URL", "")
    if bench.startswith("postgresql"):
        url = sa.make_url(bench)
    elif test.startswith("postgresql"):
        url = sa.make_url(test)
        url = url.set(database=f"{url.database}_bench")
    else:
        return None
    url = url.set(database=f"{url.database}{suffix}")
    engine = sa.create_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                {"n": url.database},
            )
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    finally:
        engine.dispose()
    return url.render_as_string(hide_password=False)


def on_each_database(run: Callable[[str, str], None]) -> None:
    """run(label, url) on a throw-away SQLite file, then on PostgreSQL if set:
    for the benchmarks that build a small world of their own (a database beside
    the national dataset's, which they would otherwise drop)."""
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    postgres = postgres_url("_small")
    if postgres:
        run("PostgreSQL", postgres)
    else:
        print("PostgreSQL: skipped (set BENCH_DATABASE_URL=postgresql+psycopg://...)")
