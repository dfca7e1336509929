"""Conditions a booking transition can demand; each raises BookingError or passes."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.db import db
from core.people.models import User
from courses.bookings.errors import KIND_LABELS, STATUS_LABELS, BookingError
from courses.bookings.models import Booking, BookingStatus, PrerequisiteWaiver
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus

# Prerequisites count as met by these states of a booking on the required course.
_MET_PREREQUISITE = (BookingStatus.completed, BookingStatus.attended)
_HOLDING_FOR_CLASH = (BookingStatus.confirmed, BookingStatus.offered)


@dataclass
class Context:
    """What a guard looks at: who acts, on which booking, when."""

    actor: User | None
    booking: Booking
    course_session: CourseSession
    now: datetime


def session_open(ctx: Context) -> None:
    """The session is open, not cancelled, and has not begun."""
    cs = ctx.course_session
    if cs.status is SessionStatus.cancelled:
        raise BookingError("session_cancelled")
    if cs.status is not SessionStatus.open:
        raise BookingError("session_not_open")
    if cs.starts_at is not None and cs.starts_at <= ctx.now:
        raise BookingError("session_started")


def before_booking_deadline(ctx: Context) -> None:
    deadline = ctx.course_session.booking_deadline
    if deadline is not None and ctx.now > deadline:
        raise BookingError("booking_closed")


def in_audience(ctx: Context) -> None:
    person = ctx.booking.user
    if not ctx.course_session.course.is_open_to(person.employer_kind):
        raise BookingError(
            "not_in_audience", kind=KIND_LABELS[person.employer_kind.value]
        )


def has_prerequisites(ctx: Context) -> None:
    missing = missing_prerequisites(ctx.booking.user, ctx.course_session.course)
    if missing:
        raise BookingError(
            "missing_prerequisites", courses=", ".join(c.title for c in missing)
        )


def no_clash(ctx: Context) -> None:
    other = clashing_course(ctx.booking.user, ctx.course_session)
    if other is not None:
        raise BookingError("clash", course=other.title)


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
    starts = ctx.course_session.starts_at
    if starts is None or starts > ctx.now:
        raise BookingError("session_not_started")


def is_late_cancellation(course_session: CourseSession, now: datetime) -> bool:
    """After the cancellation deadline, or once the session has begun."""
    deadline = course_session.cancellation_deadline
    starts = course_session.starts_at
    return (deadline is not None and now > deadline) or (
        starts is not None and now >= starts
    )


def missing_prerequisites(person: User, course: Course) -> list[Course]:
    """Required courses the person has not completed, unless a manager waived them."""
    required = course.prerequisites
    if not required:
        return []
    waived = db.session.scalar(
        sa.select(PrerequisiteWaiver.id).where(
            PrerequisiteWaiver.user_id == person.id,
            PrerequisiteWaiver.course_id == course.id,
        )
    )
    if waived is not None:
        return []
    done = set(
        db.session.scalars(
            sa.select(CourseSession.course_id)
            .join(Booking, Booking.course_session_id == CourseSession.id)
            .where(
                Booking.user_id == person.id,
                Booking.status.in_(_MET_PREREQUISITE),
                CourseSession.course_id.in_([c.id for c in required]),
            )
        )
    )
    return [c for c in required if c.id not in done]


def clashing_course(person: User, course_session: CourseSession) -> Course | None:
    """A course the person holds a seat on whose meetings overlap this session's."""
    mine = aliased(Meeting)
    theirs = aliased(Meeting)
    return db.session.scalar(
        sa.select(Course)
        .join(CourseSession, CourseSession.course_id == Course.id)
        .join(Booking, Booking.course_session_id == CourseSession.id)
        .join(theirs, theirs.course_session_id == CourseSession.id)
        .join(
            mine,
            sa.and_(
                mine.course_session_id == course_session.id,
                mine.starts_at < theirs.ends_at,
                theirs.starts_at < mine.ends_at,
                mine.cancelled.is_(False),
            ),
        )
        .where(
            Booking.user_id == person.id,
            Booking.status.in_(_HOLDING_FOR_CLASH),
            Booking.course_session_id != course_session.id,
            theirs.cancelled.is_(False),
        )
        .limit(1)
    )
