"""`flask backup` and `flask restore` for a SQLite installation, through SQLite's
online backup API: a consistent copy while the app keeps serving, page by page,
never a half-copied file. PostgreSQL has its own tools (pg_dump, pg_restore;
README "Drift"), which these commands name instead of imitating.

A backup holds the schema's migration revision (alembic_version), and a restore
refuses a file from another revision: restore it with the release that wrote it
and migrate from there, rather than mixing a schema with code that does not know
it.
"""

import sqlite3
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from core.db import db

PAGES_PER_STEP = 1024  # the copy yields to writers between steps


class BackupError(click.ClickException):
    """A backup or restore that cannot be done, said in one line."""


def _sqlite_file() -> Path:
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "this database is PostgreSQL: use pg_dump -Fc to back it up and "
            "pg_restore to restore it (README, 'Drift')"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up")
    return Path(url.database)


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def backup(target: Path) -> str | None:
    """Copy the live database to `target` (a new file); returns its revision."""
    source_path = _sqlite_file()
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name")
    db.session.remove()
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=PAGES_PER_STEP)
        return _revision(copy)
    finally:
        copy.close()
        source.close()


def restore(backup_file: Path) -> str | None:
    """Replace the live database's contents with the backup's; returns the revision."""
    live_path = _sqlite_file()
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is not a file")
    copy = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        try:
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{backup_file} is not a SQLite database") from exc
        if check != "ok":
            raise BackupError(f"{backup_file} is damaged: {check}")
        theirs = _revision(copy)
        db.session.remove()
        with db.engine.connect() as conn:
            ours = conn.scalar(sa.text("SELECT version_num FROM alembic_version"))
        if theirs != ours:
            raise BackupError(
                f"the backup is from schema revision {theirs}, this installation is "
                f"at {ours}: restore it with the release that made it, then migrate"
            )
        db.engine.dispose()  # no pooled connection keeps reading the old pages
        live = sqlite3.connect(live_path)
        try:
            copy.backup(live, pages=PAGES_PER_STEP)
        finally:
            live.close()
        return theirs
    finally:
        copy.close()


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path):
    """Copy the SQLite database to TARGET while the app runs."""
    revision = backup(target)
    click.echo(f"Backed up to {target} (schema revision {revision}).")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking.")
@with_appcontext
def restore_command(backup_file: Path, yes: bool):
    """Replace the SQLite database's contents with BACKUP_FILE."""
    if not yes:
        click.confirm(
            "Every change since the backup is lost. Replace the data?", abort=True
        )
    revision = restore(backup_file)
    click.echo(f"Restored {backup_file} (schema revision {revision}).")


def init_app(app) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
