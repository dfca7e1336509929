"""Where the tests' databases live: a SQLite file per run, or, when
TEST_DATABASE_URL names a PostgreSQL database, that database, with a sibling per
pytest-xdist worker ('<name>_gw0') so parallel workers never share tables."""

import os

import sqlalchemy as sa


def worker() -> str:
    """'gw0', 'gw1', … under pytest-xdist; '' in a single process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def postgres_url(*suffixes: str, fresh: bool = False) -> str | None:
    """TEST_DATABASE_URL's database, or a sibling named by `suffixes` and the
    worker (created when missing; dropped first when `fresh`); None without it."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    base = sa.make_url(url)
    parts = [p for p in (*suffixes, worker()) if p]
    if not parts and not fresh:
        return url
    name = "_".join([base.database, *parts])
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if fresh:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)
