"""Bookings react to their sessions: more seats go to the waiting list as offers,
a cancelled session cancels its bookings (and tells those booked)."""

from courses.bookings import services
from courses.sessions.models import CourseSession
from courses.signals import session_cancelled, session_changed


@session_changed.connect
def _offer_new_seats(sender, **kwargs):
    if isinstance(sender, CourseSession):
        services.fill_offers(sender)


@session_cancelled.connect
def _cancel_bookings(sender, **kwargs):
    if isinstance(sender, CourseSession):
        services.cancel_for_session(sender)
