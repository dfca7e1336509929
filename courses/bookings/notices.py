"""What each booking transition tells whom: in-app notices and e-mails (each in its
recipient's language, whatever language the acting person's page was in), with the
invitation attached.

The invitations come from the calendars area, which builds on this one: it
registers its writer with add_invitation_source(), so bookings never import it."""

from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from core.notifications.services import in_language_of, link_for, mail_user, notify
from core.people.models import User
from core.permissions import Link, link_counts
from core.templating import date_time, long_date, money
from courses.bookings.errors import STATUS_LABELS
from courses.bookings.guards import Clash, course_days
from courses.bookings.models import Booking, BookingStatus

# `source(booking)` gives the booking's calendar invitations (objects with `ics`,
# `method` and `starts_at`), one per course day; [] where it has none to give.
InvitationSource = Callable[[Booking], list]
_INVITATIONS_KEY = "booking_invitation_source"

LAPSE_REASON = "offer_lapsed"
# States in which a booking holds nothing any more.
_ENDED = frozenset(
    {BookingStatus.cancelled, BookingStatus.late_cancelled, BookingStatus.rejected}
)

# Subject and body per target state, for the booked person.
_TO_PERSON = {
    BookingStatus.requested: (
        _l("Awaiting approval: %(course)s"),
        _l(
            "Your manager has been asked to approve your booking for %(course)s, "
            "%(date)s."
        ),
    ),
    BookingStatus.confirmed: (
        _l("You are booked: %(course)s"),
        _l("Your seat on %(course)s, %(date)s, is confirmed."),
    ),
    BookingStatus.rejected: (
        _l("Booking not approved: %(course)s"),
        _l("Your booking for %(course)s, %(date)s, was not approved. %(reason)s"),
    ),
    BookingStatus.waitlisted: (
        _l("On the waiting list: %(course)s"),
        _l(
            "The session %(course)s, %(date)s, is full. You are on the waiting list "
            "and will be offered a seat when one becomes free."
        ),
    ),
    BookingStatus.offered: (
        _l("A seat is offered to you: %(course)s"),
        _l(
            "A seat on %(course)s, %(date)s, is held for you until %(deadline)s. "
            "Accept it under My bookings, or it passes to the next person."
        ),
    ),
    BookingStatus.cancelled: (
        _l("Booking cancelled: %(course)s"),
        _l("Your booking for %(course)s, %(date)s, is cancelled. %(reason)s"),
    ),
    BookingStatus.late_cancelled: (
        _l("Booking cancelled after the deadline: %(course)s"),
        _l(
            "Your booking for %(course)s, %(date)s, is cancelled after the "
            "cancellation deadline. Your manager has been told."
        ),
    ),
    BookingStatus.attended: (
        _l("Attendance recorded: %(course)s"),
        _l("You are recorded as having attended %(course)s."),
    ),
    BookingStatus.no_show: (
        _l("Absence recorded: %(course)s"),
        _l(
            "You are recorded as absent from %(course)s. Contact the provider if "
            "this is wrong."
        ),
    ),
    BookingStatus.completed: (
        _l("Course completed: %(course)s"),
        _l("You have completed %(course)s."),
    ),
}

_REASONS = {
    LAPSE_REASON: _l("The offer was not accepted before its deadline."),
    "declined": _l("You declined the offered seat."),
    "session_cancelled": _l("The provider has cancelled the session."),
    "calendar_import": _l("The provider has cancelled the session."),
    "removed from plan": _l("The activity was taken out of your development plan."),
}
# The provider's own words when it cancels a session, and a person's reason for
# cancelling late, as their manager reads them.
_PROVIDER_SAYS = _l("The provider has cancelled the session: %(reason)s")
_THEIR_REASON = _l("Their reason: %(reason)s")

_TO_MANAGER = {
    "request": (
        _l("Approval requested: %(person)s, %(course)s"),
        _l(
            "%(person)s asks to book %(course)s, %(date)s (price: %(price)s). "
            "Approve or reject it in your approval inbox."
        ),
    ),
    "cancel_late": (
        _l("Late cancellation: %(person)s, %(course)s"),
        _l(
            "%(person)s cancelled %(course)s, %(date)s, after the cancellation "
            "deadline."
        ),
    ),
}

_PASSED_OVER = (
    _l("Passed over for a free seat: %(course)s"),
    _l(
        "A seat on %(course)s, %(date)s, became free, but it was offered to the next "
        "person because %(reason)s. You keep your place on the waiting list."
    ),
)
_CLASH = _l(
    "its course days overlap your booking of %(course)s on %(when)s (%(status)s)"
)
_CLASH_HOSTING = _l("its course days overlap %(course)s on %(when)s, which you host")


def status_label(status: BookingStatus) -> str:
    return str(STATUS_LABELS[status])


def clash_reason(other: Clash) -> str:
    """Why a person was passed over, naming what the seat clashes with (stored
    with the booking, so in the organisation's language)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        params = {
            "course": other.title,
            "when": course_days(other.starts_at, other.ends_at),
        }
        if other.status is None:
            return str(_CLASH_HOSTING) % params
        return str(_CLASH) % (params | {"status": status_label(other.status)})


def _params(booking: Booking, reason: str = "") -> dict:
    cs = booking.course_session
    return {
        "course": cs.course.title,
        "date": long_date(cs.starts_at) if cs.starts_at else "",
        "deadline": date_time(booking.offer_expires_at),
        "person": booking.user.name,
        "price": money(booking.price),
        "reason": str(_REASONS[reason]) if reason in _REASONS else reason,
    }


def tell(
    name: str,
    booking: Booking,
    actor: User | None,
    *,
    reason: str = "",
    was: BookingStatus | None = None,
) -> None:
    """Notify the booked person (and their manager where the table says so).
    `was` is the state before the transition: only a confirmed seat was ever
    sent invitations, so only its end sends cancellations."""
    with in_language_of(booking.user):
        params = _params(booking, reason)
        if name == "session_cancelled" and reason and reason not in _REASONS:
            params["reason"] = str(_PROVIDER_SAYS) % {"reason": reason}
        subject, body = _TO_PERSON[booking.status]
        link = link_for("courses.bookings.mine")
        invited = was is BookingStatus.confirmed or booking.status not in _ENDED
        _notify_with_invitations(
            booking, str(subject) % params, str(body) % params, link, invited
        )
    if name in _TO_MANAGER:
        subject, body = _TO_MANAGER[name]
        for manager in approvers_of(booking.user):
            with in_language_of(manager):
                params = _params(booking, reason)
                text = str(body) % params
                if name == "cancel_late" and reason:
                    text += " " + str(_THEIR_REASON) % {"reason": reason}
                notify(
                    manager,
                    str(subject) % params,
                    text,
                    link=link_for("courses.bookings.inbox"),
                )


_CHANGED = (
    _l("Changed: %(course)s"),
    _l(
        "The provider has changed %(course)s (now %(date)s). See the times and place "
        "on the course page; the attached invitation updates your calendar."
    ),
)


def tell_changed(booking: Booking) -> None:
    """The session moved: tell the person, with the updated invitation."""
    with in_language_of(booking.user):
        params = _params(booking)
        subject, body = _CHANGED
        link = link_for(
            "courses.catalogue.detail", course_id=booking.course_session.course_id
        )
        _notify_with_invitations(
            booking, str(subject) % params, str(body) % params, link
        )


def tell_passed_over(booking: Booking, reason: str) -> None:
    with in_language_of(booking.user):
        params = _params(booking) | {"reason": reason}
        subject, body = _PASSED_OVER
        notify(
            booking.user,
            str(subject) % params,
            str(body) % params,
            link=link_for("courses.bookings.mine"),
        )


def approvers_of(person: User) -> list[User]:
    """Who decides the person's bookings: the team's manager, and the deputy while
    deputising."""
    team = person.team
    if team is None:
        return []
    people = [(team.manager, Link.team_manager)]
    if team.deputising:
        people.append((team.deputy, Link.team_deputy))
    return [
        p
        for p, link in people
        if p is not None and p.id != person.id and link_counts(p, link)
    ]


_ONE_DAY = {
    "REQUEST": (
        _l("Calendar: %(course)s, %(date)s"),
        _l("The attached invitation puts this course day in your calendar."),
    ),
    "CANCEL": (
        _l("Calendar: %(course)s, %(date)s (removed)"),
        _l("The attached cancellation takes this course day out of your calendar."),
    ),
}


def _notify_with_invitations(
    booking: Booking, subject: str, body: str, link: str, invited: bool = True
):
    """The notice, its mail carrying the first course day's invitation, and one
    more mail for each further day: a calendar acts on one event per message.
    `invited` False: the person never had the course in their calendar."""
    invitations = _invitations(booking) if invited else []
    first = invitations[0] if invitations else None
    notify(
        booking.user,
        subject,
        body,
        link=link,
        ics=first.ics.decode() if first else None,
        ics_method=first.method if first else "REQUEST",
    )
    title = booking.course_session.course.title
    for invitation in invitations[1:]:
        day_subject, day_body = _ONE_DAY[invitation.method]
        params = {"course": title, "date": long_date(invitation.starts_at)}
        mail_user(
            booking.user,
            str(day_subject) % params,
            str(day_body),
            ics=invitation.ics.decode(),
            ics_method=invitation.method,
        )


def add_invitation_source(app: Flask, source: InvitationSource) -> None:
    """Let the calendars area attach its invitations to the booking notices."""
    app.extensions[_INVITATIONS_KEY] = source


def _invitations(booking: Booking) -> list:
    source = current_app.extensions.get(_INVITATIONS_KEY)
    return source(booking) if source is not None else []
