"""In-app notifications and the e-mail outbox, written with the change they report."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import User


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_inbox", "user_id", "read_at", "id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # A local path to the page the notification is about ("" for none).
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class OutboxMail(db.Model):
    """An e-mail waiting to be sent; kept (and retried) until the server takes it."""

    __tablename__ = "outbox_mails"
    __table_args__ = (sa.Index("ix_outbox_mails_due", "sent_at", "next_attempt_at"),)

    id: Mapped[intpk]
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # An iCalendar attachment (the invitation), with its iTIP method.
    ics: Mapped[str | None] = mapped_column(sa.Text)
    ics_method: Mapped[str] = mapped_column(sa.String(16), default="REQUEST")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A sender holds a row until this instant, so two senders never send it twice.
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
