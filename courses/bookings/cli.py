"""`flask courses expire-offers`: let lapsed offers pass to the next in line (cron)."""

import click
from flask import Flask
from flask.cli import with_appcontext

from core.db import db, write_intent
from courses.bookings import services
from courses.cli import courses_group


@click.command("expire-offers")
@with_appcontext
def expire_offers_command():
    """Lapse every seat offer past its deadline and offer the seat to the next."""
    with write_intent():
        lapsed, offered = services.pass_on_due_offers()
        db.session.commit()
    click.echo(f"{lapsed} offer(s) lapsed, {offered} new offer(s) made.")


def init_app(app: Flask) -> None:
    courses_group(app).add_command(expire_offers_command)
