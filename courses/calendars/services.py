"""Calendar feeds, booking files and invitations: rows in, iCalendar bytes out.

Every feed is served in two steps: `*_feed_state` runs ONE query whose result
decides the ETag and Last-Modified (enough for a 304), and `*_feed` runs one
query for the rows and builds the bytes.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from core.audit import record
from core.db import committed_first, db, single_read, utcnow
from core.people.models import User
from core.prepared_read import PreparedRead
from courses.bookings.models import Booking, BookingStatus
from courses.calendars import ical
from courses.calendars.errors import CalendarError
from courses.calendars.events import (
    FEED_STATUSES,
    GONE,
    MEETING_COLUMNS,
    PERSONAL_STATUSES,
    FeedState,
    course_links,
    description,
    feed_aggregates,
    feed_state,
    in_default_locale,
    meeting_uid,
    person_meeting_uid,
    summary,
)
from courses.calendars.models import (
    CalendarFeedStamp,
    CalendarToken,
    new_feed_secret,
)
from courses.catalogue.models import Course, CourseStatus, Provider
from courses.sessions.models import CourseSession, Meeting, SessionStatus

__all__ = [
    "CalendarError",
    "FeedState",
    "Invitation",
    "meeting_uid",
    "person_meeting_uid",
]

log = logging.getLogger(__name__)

# RFC 7986 COLOR: a subscribed feed stands out from the person's own calendars.
PERSONAL_COLOR, PROVIDER_COLOR = "royalblue", "teal"

# Built once: the 304 path is this one primary-key read, so even the statement's
# construction shows in the requests per second.
_PROVIDER_STATE = (
    sa.select(
        Provider.name,
        Provider.updated_at,
        CalendarFeedStamp.version,
        CalendarFeedStamp.changed_at,
    )
    .outerjoin(CalendarFeedStamp, CalendarFeedStamp.provider_id == Provider.id)
    .where(Provider.id == sa.bindparam("provider_id"))
)
# Straight through the driver (core.prepared_read): a profile of the 304 on
# PostgreSQL (in-process, 2,000 requests) put ~250 us a request in SQLAlchemy's
# execution around this cached statement and the pool's checkout, beside the one
# round trip; the read itself is the same, committed state every time.
_PROVIDER_STATE_READ = PreparedRead(_PROVIDER_STATE, "provider_id")


def provider_feed_state(provider_id: int) -> FeedState | None:
    """The provider feed's ETag and Last-Modified from one primary-key read of the
    provider and its feed stamp (stamps.py raises it with every change)."""
    row = committed_first(_PROVIDER_STATE_READ, provider_id=provider_id)
    if row is None:
        return None
    name, updated, version, changed = row
    return feed_state(provider_id, name, [updated, changed], version or 0)


def provider_feed(state: FeedState) -> bytes:
    """The provider's open and cancelled sessions, one event per meeting."""
    rows = _provider_rows(state.owner_id)
    link = course_links()
    events = _writable(
        rows,
        lambda row: _meeting_event(
            row,
            link,
            uid=meeting_uid(row.meeting_id),
            sequence=row.meeting_sequence + row.session_sequence,
            # Not the session's updated_at: the seat counter moves it without a
            # feed change (and without raising the stamp).
            last_modified=max(row.meeting_updated_at, row.course_updated_at),
            status="CANCELLED"
            if row.meeting_cancelled or row.session_status is SessionStatus.cancelled
            else "CONFIRMED",
        ),
    )
    title = in_default_locale(lambda: _("Courses at %(provider)s", provider=state.name))
    return ical.build_calendar(events, name=title, color=PROVIDER_COLOR)


def _provider_rows(provider_id: int):
    return db.session.execute(
        sa.select(*MEETING_COLUMNS)
        .join(Meeting.course_session)
        .join(CourseSession.course)
        .where(
            Course.provider_id == provider_id,
            # Drafts stay off the public feed; an archived course's sessions stay.
            Course.status == CourseStatus.published,
            CourseSession.status.in_(FEED_STATUSES),
        )
    ).all()


def _writable(rows: Iterable, make: Callable) -> list[ical.EventSpec]:
    """Each row's event; a row that cannot be written (an all-day meeting that
    does not run midnight to midnight, an end before its start) is left out with
    a warning, so one bad meeting never takes a whole feed down. The provider
    sees it on the calendar page (feed_problems)."""
    events = []
    for row in rows:
        try:
            events.append(make(row))
        except ValueError as exc:
            log.warning("meeting %s left out of a feed: %s", row.meeting_id, exc)
    return events


@dataclass(frozen=True)
class FeedProblem:
    """A meeting the provider's feed leaves out, for the provider to fix."""

    meeting_id: int
    course_session_id: int
    course_title: str
    starts_at: datetime


def feed_problems(provider: Provider) -> list[FeedProblem]:
    """The provider's meetings that cannot be written to a calendar, by date."""
    link = course_links()
    found = []
    for row in _provider_rows(provider.id):
        try:
            _meeting_event(
                row,
                link,
                uid=meeting_uid(row.meeting_id),
                sequence=0,
                last_modified=row.meeting_updated_at,
            )
        except ValueError:
            found.append(
                FeedProblem(row.meeting_id, row.session_id, row.course_title, row.start)
            )
    return sorted(found, key=lambda p: p.starts_at)


def _personal_filter(b, cs):
    # A session the provider cancelled cancels its bookings; those meetings stay
    # in the feed as cancelled instead of vanishing from the person's calendar.
    return sa.or_(
        b.status.in_(PERSONAL_STATUSES),
        sa.and_(
            cs.status == SessionStatus.cancelled,
            b.status == BookingStatus.cancelled,
            b.cancelled_at >= cs.cancelled_at,
        ),
    )


def _personal_state_statement():
    """The personal feed's state by the token's `secret`: its owner and the
    owner's bookings aggregated in a one-row subquery."""
    b, m, cs, c = Booking, Meeting, CourseSession, Course
    secret = sa.bindparam("secret")
    owner = sa.select(CalendarToken.user_id).where(CalendarToken.secret == secret)
    aggregate = (
        sa.select(sa.func.max(b.updated_at).label("booked"), *feed_aggregates(m, cs, c))
        .select_from(b)
        .join(cs, cs.id == b.course_session_id)
        .join(c, c.id == cs.course_id)
        .join(m, m.course_session_id == cs.id)
        .where(b.user_id == owner.scalar_subquery(), _personal_filter(b, cs))
        .subquery()
    )
    return (
        sa.select(
            CalendarToken.user_id, User.name, CalendarToken.created_at, *aggregate.c
        )
        .join(User, User.id == CalendarToken.user_id)
        .join(aggregate, sa.true())  # one row, whatever the bookings
        .where(CalendarToken.secret == secret, User.active.is_(True))
    )


# Built once, as the provider's: building it cost more than the database's answer.
_PERSONAL_STATE = _personal_state_statement()


def personal_feed_state(secret: str) -> FeedState | None:
    """The personal feed's ETag and Last-Modified, or None for an unknown token:
    one query, the person's bookings aggregated in a one-row subquery."""
    if not secret or len(secret) > 64:
        return None
    with single_read() as connection:
        row = connection.execute(_PERSONAL_STATE, {"secret": secret}).one_or_none()
    if row is None:
        return None
    user_id, person, created, booked, count, ids, seqs, *stamps = row
    return feed_state(user_id, person, [created, booked, *stamps], count, ids, seqs)


def _booking_offset(status: BookingStatus, earlier: int) -> int:
    """SEQUENCE added for the person's own changes: offered < confirmed < cancelled,
    and a new booking after a cancelled one starts above both."""
    step = 0 if status is BookingStatus.offered else 2 if status in GONE else 1
    return 3 * earlier + step


def _personal_statement(*, one_booking: bool):
    """The person's meetings with their bookings' state (`user_id`), either those
    the feed shows or one booking's (`booking_id`), with the bookings of the same
    session before each (SEQUENCE counts them)."""
    b = Booking
    earlier_b = aliased(Booking)
    earlier = (
        sa.select(sa.func.count(earlier_b.id))
        .where(
            earlier_b.user_id == b.user_id,
            earlier_b.course_session_id == b.course_session_id,
            earlier_b.id < b.id,
        )
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            *MEETING_COLUMNS,
            b.status.label("booking_status"),
            b.updated_at.label("booking_updated_at"),
            earlier.label("earlier_bookings"),
        )
        .select_from(b)
        .join(CourseSession, CourseSession.id == b.course_session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .join(Meeting, Meeting.course_session_id == CourseSession.id)
        .where(b.user_id == sa.bindparam("user_id"))
    )
    if one_booking:
        return stmt.where(b.id == sa.bindparam("booking_id"))
    return stmt.where(_personal_filter(b, CourseSession))


# Built once: every booking's invitations and every personal feed read them,
# and building the statement cost about as much as running it.
_PERSONAL_ROWS = _personal_statement(one_booking=False)
_BOOKING_ROWS = _personal_statement(one_booking=True)


def _personal_rows(
    user_id: int, booking_id: int | None = None, *, committed: bool = False
):
    if booking_id is None and committed:
        # The feed as served reads what is committed, outside a transaction, as
        # its state does (core.db.single_read): on PostgreSQL one round trip,
        # not BEGIN, the statement and the transaction's end.
        with single_read() as connection:
            return connection.execute(_PERSONAL_ROWS, {"user_id": user_id}).all()
    if booking_id is None:
        return db.session.execute(_PERSONAL_ROWS, {"user_id": user_id}).all()
    # A booking's file and invitations: what the request's session holds too.
    return db.session.execute(
        _BOOKING_ROWS, {"user_id": user_id, "booking_id": booking_id}
    ).all()


def _personal_events(user_id: int, rows, *, cancel: bool = False, extra=None):
    link = course_links()
    events = []
    for row in rows:
        booking_status = BookingStatus.cancelled if cancel else row.booking_status
        gone = (
            row.meeting_cancelled
            or row.session_status is SessionStatus.cancelled
            or booking_status in GONE
        )
        state = "CANCELLED" if gone else "TENTATIVE"
        if not gone and booking_status is not BookingStatus.offered:
            state = "CONFIRMED"
        sequence = row.meeting_sequence + row.session_sequence
        try:
            events.append(
                _meeting_event(
                    row,
                    link,
                    uid=person_meeting_uid(row.meeting_id, user_id),
                    sequence=sequence
                    + _booking_offset(booking_status, row.earlier_bookings),
                    last_modified=max(
                        row.meeting_updated_at,
                        row.session_updated_at,
                        row.course_updated_at,
                        row.booking_updated_at,
                    ),
                    status=state,
                    **(extra or {}),
                )
            )
        except ValueError as exc:  # as _writable: one bad row never breaks a feed
            log.warning("meeting %s left out of a feed: %s", row.meeting_id, exc)
    return events


def _meeting_event(row, link, **fields) -> ical.EventSpec:
    """One meeting as a calendar event; the caller decides UID, SEQUENCE, status."""
    return ical.EventSpec(
        start=row.start,
        end=row.end,
        all_day=row.all_day,
        summary=summary(row.course_title, row.meeting_title),
        location=row.place or row.location,
        description=description(row.course_description, row.online_url),
        url=link(row.course_id),
        **fields,
    )


def personal_feed(state: FeedState, *, committed: bool = False) -> bytes:
    """The person's booked and offered seats, one event per meeting: as the
    session sees them, or (`committed`, the feed as served) as committed."""
    rows = _personal_rows(state.owner_id, committed=committed)
    events = _personal_events(state.owner_id, rows)
    title = in_default_locale(lambda: _("My courses – %(name)s", name=state.name))
    return ical.build_calendar(events, name=title, color=PERSONAL_COLOR)


def booking_ics(booking: Booking) -> bytes:
    """One booking's meetings as a file to open (the same UIDs as the feed)."""
    rows = _personal_rows(booking.user_id, booking.id)
    events = _personal_events(booking.user_id, rows)
    return ical.build_calendar(events, name=booking.course_session.course.title)


@dataclass(frozen=True)
class Invitation:
    """One meeting's iTIP message for the booked person: REQUEST or CANCEL."""

    method: str
    starts_at: datetime
    ics: bytes


def invitations(booking: Booking) -> list[Invitation]:
    """The booked person's invitations, one message per meeting, by date.

    RFC 5546 lets a REQUEST or CANCEL carry one UID only, and clients act on
    the first event of a longer one (Apple ignores multi-date requests). A live
    meeting of a confirmed booking is a REQUEST; a meeting that is cancelled, or
    whose booking or session is, is a CANCEL with a raised SEQUENCE (a REQUEST
    with STATUS:CANCELLED leaves the event standing in Outlook and Google).
    Other booking states (waiting, offered, requested) invite nobody. UIDs are
    the personal feed's, so the feed and the mails never show a meeting twice.
    """
    if booking.status is BookingStatus.confirmed:
        booking_gone = False
    elif booking.status in GONE:
        booking_gone = True
    else:
        return []
    rows = sorted(
        _personal_rows(booking.user_id, booking.id), key=lambda row: row.start
    )
    parties = {
        "organizer_email": current_app.config["SMTP_SENDER"],
        "organizer_name": booking.course_session.course.provider.name,
        "attendee_email": booking.user.email,
        "attendee_name": booking.user.name,
    }
    name = booking.course_session.course.title
    found = []
    for row in rows:
        gone = (
            booking_gone
            or row.meeting_cancelled
            or row.session_status is SessionStatus.cancelled
        )
        events = _personal_events(booking.user_id, [row], cancel=gone, extra=parties)
        if not events:
            continue  # a meeting no calendar can hold (logged): nothing to send
        (event,) = events
        method = "CANCEL" if gone else "REQUEST"
        try:
            ics = ical.build_calendar([event], name=name, method=method)
        except ValueError as exc:  # an e-mail address iCalendar cannot carry
            raise CalendarError("not_representable") from exc
        found.append(Invitation(method, row.start, ics))
    return found


def feed_token(user: User) -> CalendarToken | None:
    return db.session.scalar(
        sa.select(CalendarToken).where(CalendarToken.user_id == user.id)
    )


def regenerate_token(actor: User, user: User) -> CalendarToken:
    """Give `user` a new feed secret; the old URL stops working."""
    token = feed_token(user)
    if token is None:
        token = CalendarToken(user_id=user.id)
        db.session.add(token)
    else:
        token.secret = new_feed_secret()
        token.created_at = utcnow()
    db.session.flush()
    record(actor, "calendar_token.regenerate", user)
    return token


def revoke_token(actor: User, user: User) -> None:
    """Remove `user`'s feed secret: the personal feed URL answers 404 from now on."""
    token = feed_token(user)
    if token is not None:
        db.session.delete(token)
        db.session.flush()
        record(actor, "calendar_token.revoke", user)


def set_feed_url(actor: User, provider: Provider, feed_url: str) -> None:
    """Register (or, with "", remove) the feed sync-calendars reads for `provider`."""
    before = provider.feed_url
    provider.feed_url = feed_url
    db.session.flush()
    record(
        actor,
        "provider.feed_url",
        provider,
        before={"feed_url": before},
        after={"feed_url": feed_url},
    )
