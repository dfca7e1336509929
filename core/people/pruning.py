"""`flask prune-sign-ins` (cron): the rows that count sign-ins and API requests
against their limits, and the browser sessions that have ended, once nothing
reads them any more.

The limits count rows of login_attempts within a window: failed sign-ins and
password links within LOGIN_FAILURE_WINDOW, a token's API requests within
API_TOKEN_RATE_WINDOW. A password sign-in deletes the old rows as it goes, but
an installation that signs in only through single sign-on, or whose systems
call the API with tokens, never makes one; without this job the table keeps
every request (with its address) for ever."""

from datetime import datetime, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from core import clock
from core.db import db, write_intent
from core.people.models import LoginAttempt, LoginSession
from core.tokens.services import DEFAULT_RATE_WINDOW


def longest_window() -> timedelta:
    """The longest window any limit counts attempts in (see the module's text)."""
    config = current_app.config
    return max(
        config["LOGIN_FAILURE_WINDOW"],
        config.get("API_TOKEN_RATE_WINDOW", DEFAULT_RATE_WINDOW),
    )


def prune_sign_ins(moment: datetime) -> dict[str, int]:
    """Delete the attempts older than the longest window before `moment`, and the
    sessions that ended by then; flushes, the caller commits."""
    attempts = db.session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.at < moment - longest_window()),
        execution_options={"synchronize_session": False},
    ).rowcount
    sessions = db.session.execute(
        sa.delete(LoginSession).where(LoginSession.expires_at <= moment),
        execution_options={"synchronize_session": False},
    ).rowcount
    return {"attempts": attempts, "sessions": sessions}


@click.command("prune-sign-ins")
@with_appcontext
def prune_sign_ins_command():
    """Delete counted sign-in attempts and API requests no limit reads any more,
    and ended sessions (cron)."""
    with write_intent():
        counts = prune_sign_ins(clock.now())
        db.session.commit()
    click.echo(
        f"{counts['attempts']} counted attempt(s) and {counts['sessions']} ended "
        "session(s) deleted."
    )
