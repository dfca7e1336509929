"""Send the outbox: claim a due mail, send it outside any transaction, record the
outcome; a failure is retried later with a growing pause, so nothing is lost."""

import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from core.db import db, utcnow
from core.notifications.models import OutboxMail

CLAIM_FOR = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=6)


def retry_pause(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most six hours."""
    doublings = min(max(attempts - 1, 0), 16)  # 2**16 minutes is past the cap already
    return min(FIRST_RETRY * 2**doublings, LONGEST_PAUSE)


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send_due(now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send what is due; returns counts of sent and failed mails. Commits per mail."""
    counts = {"sent": 0, "failed": 0}
    if not smtp_configured():
        return counts
    now = now or utcnow()
    db.session.commit()  # start from a clean transaction, whatever the caller read
    ids = list(
        db.session.scalars(
            sa.select(OutboxMail.id)
            .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(limit)
        )
    )
    db.session.commit()
    for mail_id in ids:
        mail = _claim(mail_id, now)
        if mail is None:
            continue
        try:
            _deliver(mail)
        except (OSError, smtplib.SMTPException) as exc:
            _failed(mail, now, exc)
            counts["failed"] += 1
            if isinstance(exc, OSError | smtplib.SMTPServerDisconnected):
                break  # the server is down: the rest wait for the next run
        else:
            _sent(mail)
            counts["sent"] += 1
    return counts


def _claim(mail_id: int, now: datetime) -> OutboxMail | None:
    result = db.session.execute(
        sa.update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.sent_at.is_(None),
            sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    )
    mail = db.session.get(OutboxMail, mail_id) if result.rowcount == 1 else None
    db.session.commit()
    return mail


def _sent(mail: OutboxMail) -> None:
    mail.sent_at = utcnow()
    mail.attempts += 1
    mail.claimed_until = None
    mail.last_error = ""
    db.session.commit()


def _failed(mail: OutboxMail, now: datetime, exc: Exception) -> None:
    mail.attempts += 1
    mail.next_attempt_at = now + retry_pause(mail.attempts)
    mail.claimed_until = None
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    db.session.commit()


def build_message(mail: OutboxMail) -> EmailMessage:
    """The mail; an invitation goes twice, as iMIP mail clients expect (RFC 6047):
    as the text/calendar alternative to the text, which Outlook and Gmail turn
    into accept/decline buttons, and as an .ics file for the clients that only
    show attachments."""
    message = EmailMessage()
    message["From"] = current_app.config["SMTP_SENDER"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    if mail.ics:
        calendar = {
            "maintype": "text",
            "subtype": "calendar",
            "params": {"method": mail.ics_method, "charset": "utf-8"},
        }
        message.add_alternative(mail.ics.encode("utf-8"), **calendar)
        message.add_attachment(
            mail.ics.encode("utf-8"), filename="invitation.ics", **calendar
        )
    return message


def _deliver(mail: OutboxMail) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config.get("SMTP_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(build_message(mail))
