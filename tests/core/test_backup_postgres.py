"""The README's PostgreSQL backup and its check ("Drift", Backups), as written:
pg_dump -Fc of a migrated installation with the demo, pg_restore --list reads the
whole file, pg_restore into a new database, and there the schema revision (what
`flask db current` names) and every row of every table are as they were. Needs the
PostgreSQL test server and the PostgreSQL client tools."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from core.db import db
from tests.core.test_backup import _fingerprint
from tests.databases import postgres_url
from wsgi import create_app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not postgres_url() or not shutil.which("pg_restore"),
    reason="needs the PostgreSQL test server and pg_dump/pg_restore",
)


def head() -> str:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def _libpq(url: str) -> str:
    """The address the client tools take (no SQLAlchemy driver name)."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(False)


def _state(url: str, prepare=None) -> dict[str, str]:
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        if prepare:
            prepare(app)
        state = _fingerprint()
        db.session.remove()
        db.engine.dispose()
    return state


def _install(app) -> None:
    upgrade()
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0


def test_a_restored_dump_has_the_revision_and_every_row(tmp_path):
    live = postgres_url("dump_live", fresh=True)
    check = postgres_url("dump_check", fresh=True)
    dump = tmp_path / "kompetence.dump"
    before = _state(live, _install)

    def run(*command: str) -> str:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("pg_dump", "-Fc", "-f", str(dump), _libpq(live))
    listing = run("pg_restore", "--list", str(dump))
    run("pg_restore", "--exit-on-error", "--no-owner", "-d", _libpq(check), str(dump))
    after = _state(check)

    assert "TABLE DATA public users" in listing
    assert after["alembic_version"] == before["alembic_version"] == head()
    assert after == before
    assert after["users"] != hashlib.sha256(repr([]).encode()).hexdigest()
