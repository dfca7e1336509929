"""The typed error of the booking services, with its Danish message per code."""

from flask import current_app, has_app_context, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from courses.bookings.models import BookingStatus

MESSAGES = {
    "not_allowed": _l("You may not do that with this booking."),
    "wrong_state": _l("This booking is %(status)s and cannot be changed that way."),
    "session_not_open": _l("This course session is not open for booking."),
    "session_cancelled": _l("This course session has been cancelled."),
    "session_started": _l("This course session has already started."),
    "session_not_started": _l("Attendance can be recorded once the session has begun."),
    "booking_closed": _l("The booking deadline for this course session has passed."),
    "not_in_audience": _l("This course is not open to %(kind)s."),
    "missing_prerequisites": _l(
        "You must complete these courses first: %(courses)s. "
        "Your manager can grant an exception."
    ),
    "clash": _l(
        "The session clashes with %(course)s, which you are booked on at the same time."
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


class BookingError(ValueError):
    """A change the rules refuse: `code` names the rule, str() says it in Danish."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        message = MESSAGES.get(self.code)
        if message is None:
            return self.code
        if not has_request_context() and has_app_context():
            # CLI and tests: no browser to ask, so say it in the default language.
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                return self._render(message)
        return self._render(message)

    def _render(self, message) -> str:
        params = {key: str(value) for key, value in self.params.items()}
        return str(message) % params if params else str(message)


class NoSeatError(BookingError):
    """The conditional seat update found the session full."""

    def __init__(self):
        super().__init__("session_full")
