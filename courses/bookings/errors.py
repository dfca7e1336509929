"""The typed error of the booking services, with its Danish message per code."""

from flask_babel import lazy_gettext as _l

from core.errors import DomainError
from courses.bookings.models import BookingStatus

MESSAGES = {
    "not_allowed": _l("You may not do that with this booking."),
    "wrong_state": _l("This booking is %(status)s and cannot be changed that way."),
    "session_not_open": _l("This course session is not open for booking."),
    "session_cancelled": _l("This course session has been cancelled."),
    "session_started": _l("This course session has already started."),
    "session_not_started": _l(
        "Attendance can be recorded from the first course day, %(day)s."
    ),
    "session_without_days": _l(
        "The session has no course days yet, so attendance cannot be recorded."
    ),
    "booking_closed": _l("The booking deadline for this course session has passed."),
    "not_in_audience": _l("This course is not open to %(kind)s."),
    "missing_prerequisites": _l(
        "You must complete these courses first: %(courses)s. "
        "Your manager can grant an exception."
    ),
    "clash": _l(
        "The session's course days overlap your booking of %(course)s on "
        "%(when)s (%(status)s)."
    ),
    "clash_hosting": _l(
        "The session's course days overlap %(course)s on %(when)s, which you host."
    ),
    "session_full": _l(
        "The session filled up while you were looking at it. "
        "You can join the waiting list instead."
    ),
    "offer_expired": _l("The offer expired before it was accepted."),
    "no_team": _l("You must belong to a team before you can book a paid course."),
    "capacity_below_taken": _l(
        "The capacity cannot be lower than the %(taken)s seats already taken."
    ),
    "already_interested": _l("You have already registered interest in this course."),
    "has_open_session": _l("This course has an open session: book a seat instead."),
    "bad_amount": _l("The amount must be zero or more."),
    "not_a_course_session_member": _l("The booking does not belong to this session."),
}

KIND_LABELS = {"state": _l("state staff"), "municipal": _l("municipal staff")}


STATUS_LABELS = {
    BookingStatus.requested: _l("awaiting approval"),
    BookingStatus.confirmed: _l("confirmed"),
    BookingStatus.rejected: _l("rejected"),
    BookingStatus.waitlisted: _l("on the waiting list"),
    BookingStatus.offered: _l("seat offered"),
    BookingStatus.cancelled: _l("called off"),
    BookingStatus.late_cancelled: _l("cancelled late"),
    BookingStatus.attended: _l("attended"),
    BookingStatus.no_show: _l("did not show up"),
    BookingStatus.completed: _l("completed"),
}


class BookingError(DomainError):
    """A change the rules refuse: `code` names the rule, str() says it in Danish."""

    messages = MESSAGES


class NoSeatError(BookingError):
    """The conditional seat update found the session full."""

    def __init__(self) -> None:
        super().__init__("session_full")
