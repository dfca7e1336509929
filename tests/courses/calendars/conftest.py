"""Fixtures for the calendar integration tests: providers, sessions and bookings."""

import pytest
from icalendar import Calendar

from core.db import db
from courses.bookings.models import Booking, BookingStatus
from tests.dates import today


@pytest.fixture
def make_booking(app):
    """A booking row in a given state (the booking rules are tested elsewhere)."""

    def make(user, course_session, status=BookingStatus.confirmed, **fields):
        booking = Booking(
            user_id=user.id,
            course_session_id=course_session.id,
            status=status,
            budget_year=today().year,
            **fields,
        )
        db.session.add(booking)
        db.session.commit()
        return booking

    return make


def events_of(data: bytes) -> dict[str, dict]:
    """The VEVENTs of a calendar parsed by icalendar, by UID."""
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}
