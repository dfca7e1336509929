"""What the bookings add to pages that other areas draw (a course's page, an
internal offer's page): the person's booking, waiting-list place and booking
option for each session, and declared interest in the course. Each is read for
all of a page's sessions in a fixed number of queries; the views pass it in, so
the templates run none."""

import functools
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import User
from courses.bookings import eligibility, guards, interest, services
from courses.bookings.errors import BookingError
from courses.bookings.guards import audience_refusal
from courses.bookings.models import (
    ACTIVE_STATUSES,
    CLASHING_STATUSES,
    Booking,
    BookingStatus,
    CourseInterest,
    PrerequisiteWaiver,
)
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from courses.sessions.services import upcoming_sessions


@dataclass(frozen=True)
class SessionActions:
    """For courses/bookings/_session_actions.html: by session id, the person's
    active booking or else the form the booking route would take."""

    bookings: dict[int, Booking] = field(default_factory=dict)
    places: dict[int, int] = field(default_factory=dict)  # queue place by booking id
    options: dict[int, eligibility.BookingOption] = field(default_factory=dict)


def session_actions(user, course_sessions) -> SessionActions:
    """Two to five queries, however many sessions."""
    if not getattr(user, "is_authenticated", False):
        return SessionActions()
    mine = services.active_bookings_by_session(user)
    return SessionActions(
        bookings=mine,
        places=services.waitlist_positions(list(mine.values())),
        options=eligibility.options(user, course_sessions),
    )


@dataclass(frozen=True)
class InterestState:
    """For courses/bookings/_interest.html: the person's declared interest and
    why declaring would be refused (None: it would be taken)."""

    interest: CourseInterest | None = None
    refusal: BookingError | None = None


def _open(course_sessions, now: datetime) -> bool:
    return any(
        cs.status is SessionStatus.open and (cs.starts_at is None or cs.starts_at > now)
        for cs in course_sessions
    )


def interest_state(user: User, course: Course, course_sessions) -> InterestState:
    """interest.refusal() answered from the page's upcoming sessions: one query."""
    refused = audience_refusal(user, course)
    if refused is None and _open(course_sessions, utcnow()):
        refused = BookingError("has_open_session")
    return InterestState(interest.interest_of(user, course), refused)


def course_page(user, course: Course, so_far: dict) -> dict:
    """The bookings' share of a course's page (catalogue.contributions): on the
    sessions the sessions area listed already, when it did. One statement reads
    what the page needs of the person (_personal), and one each busy source."""
    if not getattr(user, "is_authenticated", False):
        return {}
    course_sessions = so_far.get("course_sessions")
    if course_sessions is None:
        course_sessions = db.session.scalars(upcoming_sessions([course])).all()
    meetings = eligibility.loaded_meetings(course_sessions)
    if meetings is None:  # not loaded with the sessions: the guards read them
        return {
            "booking_actions": session_actions(user, course_sessions),
            "booking_interest": interest_state(user, course, course_sessions),
        }
    since = guards.clash_window(meetings)
    mine = _personal(user, course, since)
    known = guards.Known(
        missing=guards.missing_prerequisites_of(
            user, [course], waived=mine.waived, done=mine.done
        ),
        clashes=guards.clashes_of(
            user, [cs.id for cs in course_sessions], meetings=meetings, booked=mine.busy
        ),
    )
    refused = audience_refusal(user, course)
    if refused is None and _open(course_sessions, utcnow()):
        refused = BookingError("has_open_session")
    return {
        "booking_actions": SessionActions(
            bookings=mine.bookings,
            places=mine.places,
            options=eligibility.options(user, course_sessions, known=known),
        ),
        "booking_interest": InterestState(mine.interest, refused),
    }


@dataclass
class _Personal:
    """What a course's page needs of the person, read in one statement."""

    bookings: dict[int, Booking] = field(default_factory=dict)  # active, by session
    places: dict[int, int] = field(default_factory=dict)  # queue place by booking id
    done: set[int] = field(default_factory=set)  # courses they completed
    busy: list[guards.Clash] = field(default_factory=list)  # bookings keeping days
    interest: CourseInterest | None = None
    waived: set[int] = field(default_factory=set)  # {course.id} when waived


@functools.cache
def _personal_statement(busy: bool) -> sa.Select:
    """_personal's statement with the person, the course and the busy window as
    bound values: built once per process, with or without the busy meetings
    (issue 19). A course page's profile (cProfile in-process, national dataset)
    put building it and its cache key at about three times running it."""
    ahead = sa.orm.aliased(Booking)
    place = (
        sa.select(sa.func.count(ahead.id) + 1)
        .where(
            ahead.course_session_id == Booking.course_session_id,
            ahead.status == BookingStatus.waitlisted,
            sa.tuple_(ahead.queue_number, ahead.id)
            < sa.tuple_(Booking.queue_number, Booking.id),
        )
        .correlate(Booking)
        .scalar_subquery()
    )
    busy_meeting = (
        sa.and_(
            Meeting.course_session_id == Booking.course_session_id,
            Meeting.cancelled.is_(False),
            Booking.status.in_(CLASHING_STATUSES),
            Meeting.ends_at > sa.bindparam("since"),
        )
        if busy
        else sa.false()
    )
    course_id = sa.bindparam("course_id")
    return (
        sa.select(
            CourseInterest,
            PrerequisiteWaiver.id,
            Booking,
            sa.case((Booking.status == BookingStatus.waitlisted, place)),
            CourseSession.course_id,
            Course.title,
            CourseSession.starts_at,
            CourseSession.ends_at,
            Meeting.starts_at,
            Meeting.ends_at,
        )
        .select_from(User)
        .outerjoin(
            CourseInterest,
            (CourseInterest.user_id == User.id)
            & (CourseInterest.course_id == course_id),
        )
        .outerjoin(
            PrerequisiteWaiver,
            (PrerequisiteWaiver.user_id == User.id)
            & (PrerequisiteWaiver.course_id == course_id),
        )
        .outerjoin(
            Booking,
            (Booking.user_id == User.id) & Booking.status.in_(ACTIVE_STATUSES),
        )
        .outerjoin(CourseSession, CourseSession.id == Booking.course_session_id)
        .outerjoin(Course, Course.id == CourseSession.course_id)
        .outerjoin(Meeting, busy_meeting)
        .where(User.id == sa.bindparam("user_id"))
    )


def _personal(user: User, course: Course, since: datetime | None) -> _Personal:
    """The person's active bookings, each waitlisted one's place in its queue
    (as queue.positions counts it), the meetings of those that keep days busy
    since `since` (as guards.busy_of reads them), their interest in `course`
    and whether its prerequisites are waived for them: one statement, one row
    per booking and busy meeting (the interest and waiver are one row at most
    each, by their unique keys)."""
    values = {"user_id": user.id, "course_id": course.id}
    if since is not None:
        values["since"] = since
    rows = db.session.execute(_personal_statement(since is not None), values)
    found = _Personal()
    busy: dict[int, tuple] = {}
    for interest_, waiver, booking, place_, course_id, title, first, last, *met in rows:
        found.interest = interest_
        if waiver is not None:
            found.waived = {course.id}
        if booking is None:
            continue
        found.bookings[booking.course_session_id] = booking
        if place_ is not None:
            found.places[booking.id] = place_
        if guards.met_prerequisite(booking.status):
            found.done.add(course_id)
        if met[0] is not None:
            item = busy.setdefault(booking.id, (booking, title, first, last, []))
            item[4].append(tuple(met))
    found.busy = [
        guards.Clash(
            b.user_id,
            b.course_session_id,
            title,
            b.status,
            first,
            last,
            tuple(sorted(meetings)),
        )
        for b, title, first, last, meetings in busy.values()
    ]
    return found
