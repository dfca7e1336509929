"""In-app notifications with an unread count; the e-mail outbox, sent after commit."""

import click
from flask import Flask, current_app, g, has_request_context
from flask.cli import with_appcontext
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.db import db
from core.notifications import mailer, models, services, views  # noqa: F401


@click.group("notifications")
def notifications_cli():
    """The e-mail outbox."""


@notifications_cli.command("send-mail")
@with_appcontext
def send_mail_command():
    """Send the outbox mails that are due (cron may call this every minute)."""
    if not mailer.smtp_configured():
        click.echo("SMTP_HOST is not set: the mails wait in the outbox.")
        return
    counts = mailer.send_due()
    click.echo(f"Sent {counts['sent']}, failed {counts['failed']} (retried later).")


def _after_commit(session) -> None:
    # Mails queued in a transaction that committed may go once the request ends.
    if session.info.pop(services.PENDING_KEY, False) and has_request_context():
        g._outbox_after_request = True


def _after_rollback(session) -> None:
    session.info.pop(services.PENDING_KEY, None)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp, name_prefix="core")
    app.cli.add_command(notifications_cli)
    app.jinja_env.globals["unread_notifications"] = services.unread_count
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)

    @app.after_request
    def _send_outbox_after_response(response):
        if g.pop("_outbox_after_request", False) and mailer.smtp_configured():
            the_app = current_app._get_current_object()

            def send():
                with the_app.app_context():
                    mailer.send_due()
                    db.session.remove()

            response.call_on_close(send)
        return response
