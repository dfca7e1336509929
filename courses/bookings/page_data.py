"""What the bookings add to pages that other areas draw (a course's page, an
internal offer's page): the person's booking, waiting-list place and booking
option for each session, and declared interest in the course. Each is read for
all of a page's sessions in a fixed number of queries; the views pass it in, so
the templates run none."""

from dataclasses import dataclass, field
from datetime import datetime

from core.db import db, utcnow
from core.people.models import User
from courses.bookings import eligibility, interest, services
from courses.bookings.errors import BookingError
from courses.bookings.guards import audience_refusal
from courses.bookings.models import Booking, CourseInterest
from courses.catalogue.models import Course
from courses.sessions.models import SessionStatus
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
    sessions the sessions area listed already, when it did."""
    if not getattr(user, "is_authenticated", False):
        return {}
    course_sessions = so_far.get("course_sessions")
    if course_sessions is None:
        course_sessions = db.session.scalars(upcoming_sessions([course])).all()
    return {
        "booking_actions": session_actions(user, course_sessions),
        "booking_interest": interest_state(user, course, course_sessions),
    }
