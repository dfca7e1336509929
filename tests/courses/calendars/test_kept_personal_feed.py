"""A person's feed bytes kept per worker under its state (issue 19): a repeated
full answer reads only the state, and a booking made or cancelled through the
product is in the person's feed on the next request."""

from decimal import Decimal

import pytest

from core.db import db
from courses.bookings.models import Booking, BookingStatus
from courses.calendars import services
from tests.courses.calendars.conftest import events_of
from tests.courses.calendars.test_personal_feed import personal_url, token_of


@pytest.fixture
def free_session(make_course, make_session):
    """A session the employee books without a manager's approval (no price)."""
    course = make_course(price_state=Decimal(0), price_municipal=Decimal(0))
    return lambda days: make_session(course, days=days)


def _feed_of(client, login_as):
    user = login_as("employee")
    client.post("/kalender/link")
    # A calendar program: no cookies, and no validators (it always asks in full).
    return user, client.application.test_client(), personal_url(token_of(user))


def test_a_repeated_full_answer_reads_only_the_state(
    client, login_as, count_queries, make_session, make_booking
):
    user, program, url = _feed_of(client, login_as)
    make_booking(user, make_session(days=(30, 31)), BookingStatus.confirmed)
    first = program.get(url)

    with count_queries() as queries:
        again = program.get(url)

    assert again.status_code == 200
    assert again.data == first.data
    assert len(events_of(again.data)) == 2
    assert len(queries) == 1  # the state; the bytes were kept


def test_a_booking_made_through_the_product_is_in_the_next_answer(
    client, login_as, free_session
):
    user, program, url = _feed_of(client, login_as)
    first = free_session((30,))
    client.post(f"/hold/{first.id}/tilmeld", data={"expect": "seat"})
    kept = program.get(url)
    assert program.get(url).data == kept.data  # answered from the kept bytes
    uid = services.person_meeting_uid

    second = free_session((40, 41))
    booked = client.post(f"/hold/{second.id}/tilmeld", data={"expect": "seat"})
    served = program.get(url)

    assert booked.status_code == 302
    assert served.headers["ETag"] != kept.headers["ETag"]
    events = events_of(served.data)
    assert set(events) == {uid(m.id, user.id) for m in first.meetings + second.meetings}
    assert str(events[uid(second.meetings[0].id, user.id)]["STATUS"]) == "CONFIRMED"


def test_a_cancellation_through_the_product_is_in_the_next_answer(
    client, login_as, free_session
):
    user, program, url = _feed_of(client, login_as)
    course_session = free_session((30,))
    client.post(f"/hold/{course_session.id}/tilmeld", data={"expect": "seat"})
    booking = db.session.scalar(db.select(Booking).where(Booking.user_id == user.id))
    kept = program.get(url)
    meeting_uid = services.person_meeting_uid(course_session.meetings[0].id, user.id)
    assert str(events_of(kept.data)[meeting_uid]["STATUS"]) == "CONFIRMED"

    cancelled = client.post(f"/tilmeldinger/{booking.id}/afmeld")
    served = program.get(url)

    assert cancelled.status_code == 302
    assert db.session.get(Booking, booking.id).status is BookingStatus.cancelled
    assert served.data != kept.data
    assert meeting_uid not in events_of(served.data)  # the person no longer goes
