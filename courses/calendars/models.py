"""Personal feed tokens and the calendar files providers upload for import."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from core.db import db, intpk, utcnow
from core.people.models import User
from courses.catalogue.models import Provider


def new_feed_secret() -> str:
    # 32 random bytes: the URL is the only key, so it must not be guessable.
    return secrets.token_urlsafe(32)


class CalendarToken(db.Model):
    """The secret in a person's feed URL; independent of the password.

    Kept as a random secret (not a hash) so the person's page can show the link
    again; regenerating replaces it and the old URL stops working at once.
    """

    __tablename__ = "calendar_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    secret: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_feed_secret
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class ImportSource:
    upload = "upload"
    feed = "feed"


class CalendarImport(db.Model):
    """An uploaded or fetched .ics file, kept so the preview and the apply step
    read the same bytes (never a hidden form field)."""

    __tablename__ = "calendar_imports"
    __table_args__ = (sa.Index("ix_calendar_imports_provider", "provider_id", "id"),)

    id: Mapped[intpk]
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("providers.id"))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(sa.String(16), default=ImportSource.upload)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    # Cancel imported sessions that are missing from the file (a complete feed).
    replace_all: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]

    provider: Mapped[Provider] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class CalendarFeedStamp(db.Model):
    """A provider feed's version, raised in the same transaction as every change
    to its courses, sessions or meetings, so a 304 needs one primary-key read."""

    __tablename__ = "calendar_feed_stamps"

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id"), primary_key=True
    )
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedCheck(db.Model):
    """When a provider's registered feed was last read, and what the next read
    sends and waits for: the validators of the last applied file (If-None-Match,
    If-Modified-Since) and the feed's own REFRESH-INTERVAL."""

    __tablename__ = "calendar_feed_checks"

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("providers.id"), primary_key=True
    )
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    etag: Mapped[str] = mapped_column(sa.String(200), default="")
    last_modified: Mapped[str] = mapped_column(sa.String(100), default="")
    refresh_seconds: Mapped[int | None]
