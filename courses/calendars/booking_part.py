"""The calendars' share of the booking notices: the invitations their mails carry
(courses.bookings.notices asks through add_invitation_source, never importing
this area, which builds on bookings)."""

from flask import Flask

from courses.bookings.models import Booking
from courses.bookings.notices import add_invitation_source
from courses.calendars import services


def invitations(booking: Booking) -> list[services.Invitation]:
    """The booking's invitations; none for an address iCalendar cannot carry."""
    try:
        return services.invitations(booking)
    except services.CalendarError:
        return []


def register(app: Flask) -> None:
    add_invitation_source(app, invitations)
