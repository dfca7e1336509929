"""Another area may make someone a party to a booking (the host of an internal
offer): the transition table then lets them do what that party may, no more."""

from datetime import timedelta

import pytest

from core.db import utcnow
from courses.bookings import services
from courses.bookings.errors import BookingError
from courses.bookings.models import BookingStatus
from courses.bookings.transitions import Party


@pytest.fixture
def host_rule(app):
    """Make `chosen[0]` the provider of every booking, for one test."""
    chosen = []

    def rule(actor, booking):
        return {Party.provider} if chosen and actor.id == chosen[0].id else ()

    services.add_party_rule(app, rule)
    yield chosen
    app.extensions["booking_party_rules"].remove(rule)


def test_a_registered_party_may_complete_the_booking(
    employee, create_user, make_session, host_rule
):
    host = create_user("employee")
    cs = make_session()
    booking = services.book(employee, cs)
    cs.starts_at = utcnow() - timedelta(hours=1)
    with pytest.raises(BookingError) as caught:
        services.record_attendance(host, booking, "completed")
    assert caught.value.code == "not_allowed"

    host_rule.append(host)
    services.record_attendance(host, booking, "completed")
    assert booking.status is BookingStatus.completed


def test_the_registered_party_gets_only_that_party_s_transitions(
    employee, create_user, make_session, host_rule
):
    host = create_user("employee")
    host_rule.append(host)
    booking = services.book(employee, make_session())
    with pytest.raises(BookingError) as caught:
        services.cancel(host, booking)
    assert caught.value.code == "not_allowed"
    assert booking.status is BookingStatus.confirmed
