"""Conditions a booking transition can demand; each raises BookingError or passes."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from core.clock import local_date
from core.db import db, plain_rows
from core.people.models import User
from core.templating import long_date
from courses.bookings.course_days import Interval, share_a_day
from courses.bookings.errors import KIND_LABELS, STATUS_LABELS, BookingError
from courses.bookings.models import (
    CLASHING_STATUSES,
    Booking,
    BookingStatus,
    PrerequisiteWaiver,
)
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus

# Prerequisites count as met by these states of a booking on the required course.
_MET_PREREQUISITE = (BookingStatus.completed, BookingStatus.attended)


@dataclass(frozen=True)
class Clash:
    """What keeps a person's course days busy: a booking of theirs (its state),
    or a session another area says they run (`status` None: an internal offer
    they host). Its title, first and last course day and its meetings."""

    user_id: int
    course_session_id: int
    title: str
    status: BookingStatus | None
    starts_at: datetime | None
    ends_at: datetime | None
    meetings: tuple[Interval, ...] = ()


# A source names more busy time of these people (meetings ending after `since`).
BusySource = Callable[[list[int], datetime | None], Iterable[Clash]]
_BUSY_SOURCES_KEY = "booking_busy_sources"


def add_busy_source(app: Flask, source: BusySource) -> None:
    """Let another area add to people's busy course days (learning: the internal
    offers a person hosts), so the clash rule sees them without importing it."""
    app.extensions.setdefault(_BUSY_SOURCES_KEY, []).append(source)


@dataclass(frozen=True)
class Known:
    """Facts a page read in advance for all its sessions in a fixed number of
    queries, so the guards answer from them instead of asking per session."""

    missing: dict[int, list[Course]] = field(default_factory=dict)  # by course id
    clashes: dict[int, Clash] = field(default_factory=dict)  # by session id


@dataclass
class Context:
    """What a guard looks at: who acts, on which booking, when."""

    actor: User | None
    booking: Booking
    course_session: CourseSession
    now: datetime
    known: Known | None = None


def session_open(ctx: Context) -> None:
    """The session is open, not cancelled, and has not begun."""
    cs = ctx.course_session
    if cs.status is SessionStatus.cancelled:
        raise BookingError("session_cancelled")
    # A draft course's sessions are not open to anyone until it is published.
    if cs.status is not SessionStatus.open or not cs.course.published:
        raise BookingError("session_not_open")
    if cs.starts_at is not None and cs.starts_at <= ctx.now:
        raise BookingError("session_started")


def before_booking_deadline(ctx: Context) -> None:
    deadline = ctx.course_session.booking_deadline
    if deadline is not None and ctx.now > deadline:
        raise BookingError("booking_closed")


def in_audience(ctx: Context) -> None:
    refusal = audience_refusal(ctx.booking.user, ctx.course_session.course)
    if refusal is not None:
        raise refusal


def audience_refusal(person: User, course: Course) -> BookingError | None:
    """The course is not meant for the person's kind of employer (state or
    municipal): the course page asks this too, to show no price and no button."""
    if course.is_open_to(person.employer_kind):
        return None
    return BookingError("not_in_audience", kind=KIND_LABELS[person.employer_kind.value])


def has_prerequisites(ctx: Context) -> None:
    course = ctx.course_session.course
    if ctx.known is not None:
        missing = ctx.known.missing.get(course.id, [])
    else:
        missing = missing_prerequisites(ctx.booking.user, course)
    if missing:
        raise BookingError(
            "missing_prerequisites", courses=", ".join(c.title for c in missing)
        )


def no_clash(ctx: Context) -> None:
    if ctx.known is not None:
        other = ctx.known.clashes.get(ctx.course_session.id)
    else:
        other = clashing_course(ctx.booking.user, ctx.course_session)
    if other is not None:
        raise clash_error(other)


def clash_error(other: Clash) -> BookingError:
    """The refusal that names what the session clashes with: its title, course
    days in the Danish long form and its state."""
    when = course_days(other.starts_at, other.ends_at)
    if other.status is None:
        return BookingError("clash_hosting", course=other.title, when=when)
    return BookingError(
        "clash", course=other.title, when=when, status=STATUS_LABELS[other.status]
    )


def offer_open(ctx: Context) -> None:
    expires = ctx.booking.offer_expires_at
    if expires is not None and expires <= ctx.now:
        raise BookingError("offer_expired")


def offer_due(ctx: Context) -> None:
    expires = ctx.booking.offer_expires_at
    if expires is None or expires > ctx.now:
        raise BookingError("wrong_state", status=STATUS_LABELS[ctx.booking.status])


def before_cancellation_deadline(ctx: Context) -> None:
    if is_late_cancellation(ctx.course_session, ctx.now):
        raise BookingError("wrong_state", status=STATUS_LABELS[ctx.booking.status])


def after_cancellation_deadline(ctx: Context) -> None:
    if not is_late_cancellation(ctx.course_session, ctx.now):
        raise BookingError("wrong_state", status=STATUS_LABELS[ctx.booking.status])


def session_begun(ctx: Context) -> None:
    """Attendance is recorded from the first course day (in Copenhagen), not only
    from the hour the first meeting begins."""
    starts = ctx.course_session.starts_at
    if starts is None:
        raise BookingError("session_without_days")
    if local_date(starts) > local_date(ctx.now):
        raise BookingError("session_not_started", day=long_date(starts))


def is_late_cancellation(course_session: CourseSession, now: datetime) -> bool:
    """After the cancellation deadline, or once the session has begun."""
    deadline = course_session.cancellation_deadline
    starts = course_session.starts_at
    return (deadline is not None and now > deadline) or (
        starts is not None and now >= starts
    )


def missing_prerequisites(person: User, course: Course) -> list[Course]:
    """Required courses the person has not completed, unless a manager waived them."""
    return missing_prerequisites_of(person, [course]).get(course.id, [])


def missing_prerequisites_of(
    person: User,
    courses,
    *,
    waived: set[int] | None = None,
    done: set[int] | None = None,
) -> dict[int, list[Course]]:
    """missing_prerequisites() for several courses, in at most two queries; none
    when the caller read the courses waived for the person and the courses
    they have met (`done`: a booking of theirs met_prerequisite()) already."""
    courses = [c for c in courses if c.prerequisites]
    if not courses:
        return {}
    if waived is None:
        waived = set(
            db.session.scalars(
                sa.select(PrerequisiteWaiver.course_id).where(
                    PrerequisiteWaiver.user_id == person.id,
                    PrerequisiteWaiver.course_id.in_([c.id for c in courses]),
                )
            )
        )
    courses = [c for c in courses if c.id not in waived]
    required = {r.id for c in courses for r in c.prerequisites}
    if not required:
        return {}
    if done is None:
        done = set(
            db.session.scalars(
                sa.select(CourseSession.course_id)
                .join(Booking, Booking.course_session_id == CourseSession.id)
                .where(
                    Booking.user_id == person.id,
                    Booking.status.in_(_MET_PREREQUISITE),
                    CourseSession.course_id.in_(required),
                )
            )
        )
    return {
        c.id: [r for r in c.prerequisites if r.id not in done]
        for c in courses
        if any(r.id not in done for r in c.prerequisites)
    }


def course_days(starts_at: datetime | None, ends_at: datetime | None) -> str:
    """'7. december 2026' for one day, '7. december 2026 – 10. december 2026'
    for several, in the reader's language."""
    if starts_at is None:
        return ""
    first = local_date(starts_at)
    last = local_date(ends_at) if ends_at is not None else first
    if last == first:
        return long_date(first)
    return f"{long_date(first)} – {long_date(last)}"


def clashing_course(person: User, course_session: CourseSession) -> Clash | None:
    """The person's busy time that shares a course day with this session: a
    booking that may become a seat (CLASHING_STATUSES) or what another area adds
    (add_busy_source)."""
    return clashes_of(person, [course_session.id]).get(course_session.id)


def met_prerequisite(status: BookingStatus) -> bool:
    """A booking in this state counts as its course completed."""
    return status in _MET_PREREQUISITE


def clash_window(meetings: dict[int, list[Interval]]) -> datetime | None:
    """Since when a person's busy time can clash with these sessions' meetings
    (None: they have none)."""
    starts = [s for items in meetings.values() for s, _e in items]
    # A meeting on the first candidate day may have ended earlier that day.
    return min(starts) - timedelta(days=1) if starts else None


def clashes_of(
    person: User,
    course_session_ids,
    *,
    meetings: dict[int, list[Interval]] | None = None,
    booked: list[Clash] | None = None,
) -> dict[int, Clash]:
    """clashing_course() for several sessions, keyed by session id: two queries
    and one per busy source, whatever the number of sessions; one fewer when
    the caller gives the sessions' meetings that are not cancelled (a page that
    loaded them already), and one fewer again when it gives the person's
    bookings that keep days busy since clash_window(meetings) (`booked`)."""
    ids = list(course_session_ids)
    if not ids:
        return {}
    if meetings is None:
        meetings = {}
        for course_session_id, starts, ends in db.session.execute(
            sa.select(
                Meeting.course_session_id, Meeting.starts_at, Meeting.ends_at
            ).where(Meeting.course_session_id.in_(ids), Meeting.cancelled.is_(False))
        ):
            meetings.setdefault(course_session_id, []).append((starts, ends))
    meetings = {sid: items for sid, items in meetings.items() if items}
    if not meetings:
        return {}
    since = clash_window(meetings)
    busy = busy_of([person.id], since=since, booked=booked).get(person.id, [])
    found: dict[int, Clash] = {}
    for course_session_id, ours in meetings.items():
        for other in busy:
            if other.course_session_id != course_session_id and share_a_day(
                ours, other.meetings
            ):
                found[course_session_id] = other
                break
    return found


def busy_of(
    person_ids, *, since: datetime | None = None, booked: list[Clash] | None = None
) -> dict[int, list[Clash]]:
    """Each person's busy time, by their first course day: their bookings that
    may become a seat and what the busy sources add. One query per source, and
    one for the bookings unless the caller read them (`booked`)."""
    ids = list(person_ids)
    if not ids:
        return {}
    items = _booked_busy(ids, since) if booked is None else list(booked)
    for source in current_app.extensions.get(_BUSY_SOURCES_KEY, ()):
        items.extend(source(ids, since))
    found: dict[int, list[Clash]] = {}
    for item in sorted(items, key=_by_first_day):
        found.setdefault(item.user_id, []).append(item)
    return found


def _booked_busy_statement(since: bool) -> sa.Select:
    """The people `ids`' bookings that keep days busy, one row a meeting not
    cancelled; with `since`, only meetings ending after the parameter `since`."""
    query = (
        sa.select(
            Booking.user_id,
            Booking.course_session_id,
            Course.title,
            Booking.status,
            CourseSession.starts_at,
            CourseSession.ends_at,
            Meeting.starts_at,
            Meeting.ends_at,
        )
        .join(CourseSession, CourseSession.id == Booking.course_session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .join(Meeting, Meeting.course_session_id == CourseSession.id)
        .where(
            Booking.user_id.in_(sa.bindparam("ids", expanding=True)),
            Booking.status.in_(CLASHING_STATUSES),
            Meeting.cancelled.is_(False),
        )
    )
    if since:
        query = query.where(
            Meeting.ends_at > sa.bindparam("since", type_=Meeting.ends_at.type)
        )
    return query


# Built once: every booking reads one (a booking POST spent more on building
# the statement and its cache key than on running it, issue 19).
_BOOKED_BUSY = {since: _booked_busy_statement(since) for since in (False, True)}


def _booked_busy(ids: list[int], since: datetime | None) -> list[Clash]:
    given = {"ids": ids} if since is None else {"ids": ids, "since": since}
    query = _BOOKED_BUSY[since is not None]
    rows: dict[tuple[int, int], list] = {}
    for user_id, sid, title, status, first, last, starts, ends in plain_rows(
        query, given
    ):
        item = rows.setdefault((user_id, sid), [title, status, first, last, []])
        item[4].append((starts, ends))
    return [
        Clash(user_id, sid, title, status, first, last, tuple(sorted(meetings)))
        for (user_id, sid), (title, status, first, last, meetings) in rows.items()
    ]


def _by_first_day(item: Clash) -> tuple:
    return (item.starts_at or datetime.max.replace(tzinfo=UTC), item.course_session_id)
