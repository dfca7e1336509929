"""Conditions a booking transition can demand; each raises BookingError or passes."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.clock import local_date
from core.db import db
from core.people.models import User
from core.templating import long_date
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
    """The person's booking that a session clashes with: its course, its state
    and its first and last course day."""

    course: Course
    status: BookingStatus
    starts_at: datetime | None
    ends_at: datetime | None

    @property
    def title(self) -> str:
        return self.course.title


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
        raise BookingError(
            "clash",
            course=other.title,
            when=course_days(other.starts_at, other.ends_at),
            status=STATUS_LABELS[other.status],
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


def missing_prerequisites_of(person: User, courses) -> dict[int, list[Course]]:
    """missing_prerequisites() for several courses, in at most two queries."""
    courses = [c for c in courses if c.prerequisites]
    if not courses:
        return {}
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
    """The person's booking (requested, on the waiting list, offered or
    confirmed: CLASHING_STATUSES) whose meetings overlap this session's."""
    return clashes_of(person, [course_session.id]).get(course_session.id)


def clashes_of(person: User, course_session_ids) -> dict[int, Clash]:
    """clashing_course() for several sessions, keyed by session id, in one query."""
    ids = list(course_session_ids)
    if not ids:
        return {}
    mine = aliased(Meeting)
    theirs = aliased(Meeting)
    rows = db.session.execute(
        sa.select(
            mine.course_session_id,
            Course,
            Booking.status,
            CourseSession.starts_at,
            CourseSession.ends_at,
        )
        .select_from(Course)
        .join(CourseSession, CourseSession.course_id == Course.id)
        .join(Booking, Booking.course_session_id == CourseSession.id)
        .join(theirs, theirs.course_session_id == CourseSession.id)
        .join(
            mine,
            sa.and_(
                mine.course_session_id.in_(ids),
                mine.starts_at < theirs.ends_at,
                theirs.starts_at < mine.ends_at,
                mine.cancelled.is_(False),
            ),
        )
        .where(
            Booking.user_id == person.id,
            Booking.status.in_(CLASHING_STATUSES),
            Booking.course_session_id != mine.course_session_id,
            theirs.cancelled.is_(False),
        )
        .order_by(mine.course_session_id, Course.id)
    )
    found: dict[int, Clash] = {}
    for course_session_id, course, status, starts_at, ends_at in rows:
        found.setdefault(course_session_id, Clash(course, status, starts_at, ends_at))
    return found
