"""The national dataset (`flask seed-scale`, issue 19) the benchmarks share.

Seeded once a run on each engine and read by every benchmark that measures the
product at its size (pages, gaps, matching, reports), instead of each building
a world of its own. SQLite: the seeded file is kept in bench-results/ between
runs, named by the scale and a digest of the migrations and the seeding code
(a change to either seeds anew); each run works on a fresh copy of it.
PostgreSQL (BENCH_DATABASE_URL, or a sibling of TEST_DATABASE_URL): seeded with
COPY at the start of each run (about 30 s at full size).

The runner (tests/bench/__main__.py) prepares both and hands the addresses to
each benchmark's process in the environment; a benchmark run on its own
prepares them itself. Benchmarks that write (the booking POST) add their own
new rows and change nothing the others read.

BENCH_SCALE (default 1: 7,000 people, 20,000 sessions, 100,000 bookings).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from core.db import db
from learning.scale import seed_scale
from tests.bench.databases import postgres_url
from tests.bench.serving import SECRET
from wsgi import create_app

ROOT = Path(__file__).resolve().parents[2]
# BENCH_RESULTS: another directory, so two people benching one tree keep apart.
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench-results")
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SQLITE = "BENCH_NATIONAL_SQLITE"  # this run's copy of the seeded SQLite file
POSTGRESQL = "BENCH_NATIONAL_POSTGRESQL"  # the PostgreSQL database seeded this run
MADE = "BENCH_NATIONAL_MADE"  # what seed-scale made, as JSON


def _kept() -> Path:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update((ROOT / "learning" / "scale.py").read_bytes())
    return RESULTS / f"seed-{SCALE:g}-{digest.hexdigest()[:12]}.sqlite3"


def _empty(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def _seed(url: str) -> dict:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        made = seed_scale(SCALE)
        db.session.commit()
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE"
                )
        db.engine.dispose()
    return made


def _sqlite() -> tuple[str, dict, float | None]:
    """This run's copy of the kept seeded file, seeding it first if missing."""
    RESULTS.mkdir(exist_ok=True)
    kept, work = _kept(), RESULTS / "national-run.sqlite3"
    for stale in (work, work.with_name(work.name + "-wal")):
        stale.unlink(missing_ok=True)
    seconds = None
    if not kept.exists():
        for old in RESULTS.glob(f"seed-{SCALE:g}-*"):  # this scale's older seeds
            old.unlink()
        started = time.perf_counter()
        made = _seed(f"sqlite:///{work}")
        seconds = time.perf_counter() - started
        # Everything into the main file (outside any transaction), then kept.
        with closing(sqlite3.connect(work)) as raw:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(work, kept)
        kept.with_suffix(".json").write_text(json.dumps(made))
        return f"sqlite:///{work}", made, seconds
    shutil.copyfile(kept, work)
    return f"sqlite:///{work}", json.loads(kept.with_suffix(".json").read_text()), None


def prepare() -> None:
    """Seed (or copy) the dataset on each engine for this run, and name them in
    the environment for the benchmarks that follow."""
    url, made, seconds = _sqlite()
    how = f"in {seconds:.0f} s" if seconds is not None else "(the kept file, copied)"
    _say("SQLite", made, how)
    os.environ[SQLITE], os.environ[MADE] = url, json.dumps(made)
    postgres = postgres_url()
    if postgres:
        started = time.perf_counter()
        _empty(postgres)
        made = _seed(postgres)
        _say("PostgreSQL", made, f"in {time.perf_counter() - started:.0f} s")
        os.environ[POSTGRESQL] = postgres


def _say(label: str, made: dict, how: str) -> None:
    counts = ", ".join(f"{n:,} {what}" for what, n in made.items())
    print(f"{label}: national dataset (scale {SCALE:g}): {counts} {how}", flush=True)


def databases() -> list[tuple[str, str]]:
    """(label, url) of each engine's seeded dataset, SQLite first."""
    if SQLITE not in os.environ:
        prepare()
    found = [("SQLite", os.environ[SQLITE])]
    if os.environ.get(POSTGRESQL):
        found.append(("PostgreSQL", os.environ[POSTGRESQL]))
    return found


def made() -> dict:
    databases()
    return json.loads(os.environ[MADE])


def on_each_database(run: Callable[[str, str], None]) -> None:
    """run(label, url) on each engine's national dataset."""
    found = databases()
    for label, url in found:
        run(label, url)
    if len(found) == 1:
        print("PostgreSQL: skipped (set BENCH_DATABASE_URL=postgresql+psycopg://...)")
