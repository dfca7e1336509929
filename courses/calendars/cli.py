"""`flask courses sync-calendars`: fetch the registered provider feeds, apply them."""

from datetime import timedelta

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from core.db import db, utcnow, write_intent
from courses.calendars import imports, syncing
from courses.calendars.errors import CalendarImportError
from courses.catalogue.models import Provider
from courses.cli import courses_group


@click.command("sync-calendars")
@click.option("--provider", "keys", multiple=True, help="Only this provider (key).")
@click.option(
    "--force", is_flag=True, help="Read every feed now, whatever its refresh interval."
)
@with_appcontext
def sync_calendars_command(keys, force):
    """Read the registered provider feeds that are due and import what changed."""
    stmt = sa.select(Provider).where(Provider.feed_url != "").order_by(Provider.key)
    if keys:
        stmt = stmt.where(Provider.key.in_(keys))
    failed = 0
    for provider in db.session.scalars(stmt).all():
        try:
            click.echo(syncing.sync_provider(provider, force=force))
        except CalendarImportError as exc:
            db.session.rollback()
            failed += 1
            click.echo(f"{provider.key}: {exc}", err=True)
        except sa.exc.IntegrityError as exc:
            db.session.rollback()
            failed += 1
            click.echo(
                f"{provider.key}: conflicting change, nothing saved ({exc.orig})",
                err=True,
            )
    if failed:
        raise click.exceptions.Exit(1)


@click.command("prune-calendar-imports")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def prune_calendar_imports_command(days):
    """Delete uploaded calendar files that were left at the preview."""
    with write_intent():
        deleted = imports.prune_unapplied(utcnow() - timedelta(days=days))
        db.session.commit()
    click.echo(f"{deleted} unapplied calendar file(s) deleted.")


def init_app(app: Flask) -> None:
    group = courses_group(app)
    group.add_command(sync_calendars_command)
    group.add_command(prune_calendar_imports_command)
