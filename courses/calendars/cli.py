"""`flask courses sync-calendars`: fetch the registered provider feeds, apply them."""

from datetime import timedelta

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale

from core.db import db, utcnow, write_intent
from courses.calendars import importing
from courses.calendars.errors import error_text
from courses.calendars.ical_parse import refresh_interval
from courses.calendars.importing import CalendarImportError
from courses.calendars.models import CalendarImport, FeedCheck, ImportSource
from courses.catalogue.models import Provider

# A feed that asks to be read less often is still read every week.
_LONGEST_WAIT = 7 * 24 * 3600


def _unchanged(provider: Provider, digest: str) -> bool:
    """True when the provider's last applied feed had exactly these bytes."""
    last = db.session.scalar(
        sa.select(CalendarImport.sha256)
        .where(
            CalendarImport.provider_id == provider.id,
            CalendarImport.source == ImportSource.feed,
            CalendarImport.applied_at.is_not(None),
        )
        .order_by(CalendarImport.id.desc())
        .limit(1)
    )
    return last == digest


def _interval(check: FeedCheck | None) -> timedelta:
    config = current_app.config
    asked = check.refresh_seconds if check else None
    seconds = max(
        asked or config["CALENDAR_FEED_REFRESH_DEFAULT"],
        config["CALENDAR_FEED_REFRESH_MIN"],
    )
    return timedelta(seconds=min(seconds, _LONGEST_WAIT))


def _record_check(provider: Provider, now, fetched=None) -> None:
    """Note the read in its own transaction. The validators change only with a
    file that was applied (or was already), so a file that failed is read again
    in full next time instead of being answered 304."""
    with write_intent():
        check = db.session.get(FeedCheck, provider.id) or FeedCheck(
            provider_id=provider.id
        )
        check.checked_at = now
        if fetched is not None:
            check.etag, check.last_modified = fetched.etag, fetched.last_modified
            interval = refresh_interval(fetched.data)
            check.refresh_seconds = int(interval.total_seconds()) if interval else None
        db.session.add(check)
        db.session.commit()


def sync_provider(provider: Provider, *, force: bool = False) -> str:
    """Fetch and apply one provider's feed when it is due; a line for the log."""
    now = utcnow()
    check = db.session.get(FeedCheck, provider.id)
    due = check.checked_at + _interval(check) if check else now
    if due > now and not force:
        return f"{provider.key}: not due until {due:%Y-%m-%d %H:%M} UTC"
    fetched = importing.fetch(
        provider.feed_url,
        etag=check.etag if check else "",
        last_modified=check.last_modified if check else "",
    )
    if fetched.data is None:
        _record_check(provider, now)
        return f"{provider.key}: unchanged (304)"
    if _unchanged(provider, importing.digest(fetched.data)):
        _record_check(provider, now, fetched)
        return f"{provider.key}: unchanged"
    try:
        with write_intent():
            # A feed is the provider's whole calendar: sessions it drops are cancelled.
            stored, events = importing.store(
                None, provider, fetched.data, source=ImportSource.feed, replace_all=True
            )
            plan = importing.apply(None, stored, events=events)
            db.session.commit()
    except Exception:
        db.session.rollback()
        _record_check(provider, now)
        raise
    _record_check(provider, now, fetched)
    counts = plan.counts
    return (
        f"{provider.key}: {counts['create']} created, {counts['change']} changed, "
        f"{counts['cancel']} cancelled, {counts['same']} unchanged"
    )


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
            click.echo(sync_provider(provider, force=force))
        except CalendarImportError as exc:
            db.session.rollback()
            failed += 1
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                click.echo(f"{provider.key}: {error_text(exc)}", err=True)
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
    cutoff = utcnow() - timedelta(days=days)
    with write_intent():
        deleted = db.session.execute(
            sa.delete(CalendarImport).where(
                CalendarImport.applied_at.is_(None), CalendarImport.created_at < cutoff
            )
        ).rowcount
        db.session.commit()
    click.echo(f"{deleted} unapplied calendar file(s) deleted.")


def courses_group(app: Flask) -> click.Group:
    """The shared `flask courses` group; whichever area comes first creates it."""
    group = app.cli.commands.get("courses")
    if group is None:
        group = AppGroup("courses", help="Courses, sessions, bookings and calendars.")
        app.cli.add_command(group)
    return group


def init_app(app: Flask) -> None:
    group = courses_group(app)
    group.add_command(sync_calendars_command)
    group.add_command(prune_calendar_imports_command)
