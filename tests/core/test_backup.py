"""`flask backup` and `flask restore` (SQLite's online backup API): a restore
brings back every row of every table as it was at the backup, and refuses files
it must not restore. On PostgreSQL both commands name pg_dump and pg_restore."""

import hashlib
import sqlite3

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from core.db import db
from core.people import services as people_services
from core.people.models import EmployerKind, Role, User
from tests.databases import postgres_url
from wsgi import create_app


def _fingerprint() -> dict[str, str]:
    """Every table, row by row in key order, as a hash."""
    result = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(
            sa.select(table).order_by(*table.primary_key.columns)
        ).all()
        result[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    result["alembic_version"] = db.session.scalar(
        sa.text("SELECT version_num FROM alembic_version")
    )
    db.session.rollback()
    return result


@pytest.fixture
def installation(tmp_path):
    """A SQLite installation as `make db` makes it: migrated, with the demo."""
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"}
    )
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_restore_brings_back_every_row_of_every_table(installation, tmp_path):
    runner = installation.test_cli_runner()
    before = _fingerprint()
    copy = tmp_path / "nat.sqlite3"

    made = runner.invoke(args=["backup", str(copy)])
    assert made.exit_code == 0, made.output
    assert "Backed up to" in made.output

    # A day's changes after the backup: an edit, a new row, a deletion.
    people = db.session.scalars(sa.select(User).order_by(User.id)).all()
    people[0].name = "Ændret Navn"
    people_services.create_user(
        None,
        email="ny.kollega@jobcenter.demo.dk",
        name="Ny Kollega",
        password=None,
        roles=[Role.employee],
        employer_kind=EmployerKind.municipal,
    )
    db.session.execute(sa.text("DELETE FROM notifications"))
    db.session.commit()
    assert _fingerprint() != before

    refused = runner.invoke(args=["restore", str(copy)], input="n\n")
    assert refused.exit_code != 0
    assert _fingerprint() != before

    restored = runner.invoke(args=["restore", str(copy), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _fingerprint() == before


def test_a_backup_never_overwrites_a_file(installation, tmp_path):
    existing = tmp_path / "findes.sqlite3"
    existing.write_bytes(b"keep me")

    result = installation.test_cli_runner().invoke(args=["backup", str(existing)])

    assert result.exit_code != 0
    assert "exists already" in result.output
    assert existing.read_bytes() == b"keep me"


def test_a_restore_refuses_what_is_not_a_backup_of_this_schema(installation, tmp_path):
    runner = installation.test_cli_runner()
    before = _fingerprint()
    text = tmp_path / "not.sqlite3"
    text.write_text("dette er ikke en database")
    older = tmp_path / "older.sqlite3"
    assert runner.invoke(args=["backup", str(older)]).exit_code == 0
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'abc123'")

    for path, reason in (
        (text, "is not a SQLite database"),
        (older, "schema revision abc123"),
        (tmp_path / "missing.sqlite3", "is not a file"),
    ):
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0
        assert reason in result.output
    assert _fingerprint() == before


@pytest.mark.skipif(not postgres_url(), reason="needs the PostgreSQL test server")
def test_on_postgresql_the_commands_name_its_own_tools(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "pg_dump" in result.output
