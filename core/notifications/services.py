"""Tell a person something: a notification row, and an outbox mail in the same
transaction. They flush, the caller commits; mail leaves only after the commit."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale

from core.db import db, utcnow
from core.notifications.models import Notification, OutboxMail
from core.people.models import User
from core.urls import public_base_url

PENDING_KEY = "outbox_pending"


def language_of(user: User) -> str:
    """The language `user` reads the app in (Danish unless they chose another)."""
    wanted = getattr(user, "language", "")
    if wanted in current_app.config["LANGUAGES"]:
        return wanted
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def in_language_of(user: User) -> Iterator[None]:
    """Render texts, dates and numbers for `user`, whoever's request this is: a
    notice or a mail is read by its recipient, not by the person who acted."""
    with force_locale(language_of(user)):
        yield


def link_for(endpoint: str, **values) -> str:
    """A local path to `endpoint`, built without a request (CLI and cron paths too)."""
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    return adapter.build(endpoint, values)


def notify(
    user: User,
    subject: str,
    body: str = "",
    *,
    link: str = "",
    mail: bool = True,
    ics: str | None = None,
    ics_method: str = "REQUEST",
) -> Notification:
    """Add a notification for `user` and, unless `mail` is False, queue the e-mail."""
    notification = Notification(user=user, subject=subject[:300], body=body, link=link)
    db.session.add(notification)
    user.__dict__.pop(UNREAD_KEY, None)
    if mail:
        mail_user(user, subject, _mail_body(body, link), ics=ics, ics_method=ics_method)
    db.session.flush()
    return notification


def mail_user(
    user: User,
    subject: str,
    body: str,
    *,
    ics: str | None = None,
    ics_method: str = "REQUEST",
) -> OutboxMail | None:
    """Queue a mail to `user`, unless they have no address or are deactivated."""
    if not (user.email and user.active):
        return None
    return queue_mail(user.email, subject, body, ics=ics, ics_method=ics_method)


def queue_mail(
    to_address: str,
    subject: str,
    body: str,
    *,
    ics: str | None = None,
    ics_method: str = "REQUEST",
) -> OutboxMail:
    """Put one e-mail in the outbox; it is sent after the transaction commits."""
    mail = OutboxMail(
        to_address=to_address,
        subject=subject[:300],
        body=body,
        ics=ics,
        ics_method=ics_method,
    )
    db.session.add(mail)
    db.session.info[PENDING_KEY] = True
    return mail


def _mail_body(body: str, link: str) -> str:
    if not link:
        return body
    base = public_base_url()
    return f"{body}\n\n{base}{link}" if body else f"{base}{link}"


# The count the login loader read with the user (core.people.services), kept on
# the user object for the request; a change here within the request drops it.
UNREAD_KEY = "_unread_notifications"
# Built once: the page frame asks on every signed-in request.
_UNREAD = sa.select(sa.func.count(Notification.id)).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None)
)


def unread_count(user) -> int:
    """How many of the person's notifications are unread (0 for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if has_request_context() and UNREAD_KEY in user.__dict__:
        return user.__dict__[UNREAD_KEY]
    return db.session.scalar(_UNREAD, {"user_id": user.id})


def mark_read(
    user: User, notification_id: int | None = None, now: datetime | None = None
) -> int:
    """Mark one of the person's notifications (or all of them) as read."""
    user.__dict__.pop(UNREAD_KEY, None)
    statement = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    result = db.session.execute(
        statement.values(read_at=now or utcnow()).execution_options(
            synchronize_session=False
        )
    )
    return result.rowcount
