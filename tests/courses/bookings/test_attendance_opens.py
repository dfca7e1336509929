"""Attendance opens on the first course day (issue 15): before it the provider's
pages say from when and offer no form, and an early POST is refused in Danish.
The clock is moved with the travel fixture; every date comes from the session."""

from datetime import datetime, time, timedelta

import pytest

from core.db import db
from courses.bookings import services
from courses.bookings.models import Booking, BookingStatus
from tests.dates import at, danish, working_day


@pytest.fixture
def booked(login_as, employee, create_user, make_provider, make_course, make_session):
    """A provider's session of two course days from 09:00, ten days on, one person
    booked, and a way to sign the provider's staff in (once the clock is moved:
    a login session lasts an hour)."""
    staff = create_user("provider_staff")
    cs = make_session(
        make_course(make_provider(staff)), start=at(working_day(10)), days=2
    )
    booking = services.book(employee, cs)
    db.session.commit()
    return cs, booking, lambda: login_as(staff)


def _first_day_at(cs, hour: int, minute: int = 0) -> datetime:
    first_day = cs.meetings[0].first_day
    return datetime.combine(first_day, time(hour, minute))


PAGES = ("/hold/{id}/deltagerliste", "/hold/{id}")


@pytest.mark.parametrize("page", PAGES)
def test_the_evening_before_the_pages_say_from_when_and_offer_no_form(
    client, travel, booked, page
):
    cs, booking, sign_in = booked
    travel(_first_day_at(cs, 0) - timedelta(minutes=30))
    sign_in()

    text = client.get(page.format(id=cs.id)).text

    assert (
        f"Fremmøde kan registreres fra første kursusdag, {danish(cs.starts_at)}."
        in text
    )
    assert f"/tilmeldinger/{booking.id}/fremmoede" not in text


def test_an_early_post_is_refused_with_the_day_in_danish(client, travel, booked):
    cs, booking, sign_in = booked
    travel(_first_day_at(cs, 0) - timedelta(minutes=30))
    sign_in()

    response = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "attended"}
    )

    assert response.status_code == 409
    assert (
        f"Fremmøde kan registreres fra første kursusdag, {danish(cs.starts_at)}."
        in response.text
    )
    assert db.session.get(Booking, booking.id).status is BookingStatus.confirmed


@pytest.mark.parametrize("page", PAGES)
def test_on_the_first_day_before_the_first_meeting_the_form_is_there(
    client, travel, booked, page
):
    """The first meeting starts at 09:00; the provider may record from the
    morning of that day (before the fix: a promise of 'from today' and a 409)."""
    cs, booking, sign_in = booked
    travel(_first_day_at(cs, 7, 30))
    sign_in()

    text = client.get(page.format(id=cs.id)).text

    assert "Fremmøde kan registreres fra" not in text
    assert f"/tilmeldinger/{booking.id}/fremmoede" in text


def test_on_the_first_day_attendance_is_recorded(client, travel, booked):
    cs, booking, sign_in = booked
    travel(_first_day_at(cs, 7, 30))
    sign_in()

    response = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "attended"}
    )

    assert response.status_code == 302
    assert db.session.get(Booking, booking.id).status is BookingStatus.attended
