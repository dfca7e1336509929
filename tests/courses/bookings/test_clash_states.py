"""Schedule clashes (issue 15): a person was booked on 7-10 and 8-9 December
without a word, because a booking still waiting for approval did not count. Every
booking that may become a seat (requested, on the waiting list, offered,
confirmed) now keeps its course days busy, internal learning included (its
sessions are booked through the same life cycle), and the refusal names the
booking it clashes with, its days and its state. Suggestions follow the same rule."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from core.db import db
from courses.bookings.models import Booking, BookingStatus
from tests.dates import danish, working_day


def _morning(day) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC)


@pytest.fixture
def four_days(make_session):
    """A course over four days in a row, about two months ahead."""
    first = working_day(60)
    first -= timedelta(days=first.weekday())  # a Monday: four working days follow
    return make_session(start=_morning(first), days=4, title="Samtaleteknik")


def _hold(person, course_session, status: BookingStatus) -> Booking:
    booking = Booking(
        user=person,
        course_session=course_session,
        status=status,
        team_id=person.team_id,
        budget_year=course_session.starts_at.year,
        queue_number=1 if status is BookingStatus.waitlisted else None,
    )
    db.session.add(booking)
    db.session.commit()
    return booking


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (BookingStatus.requested, "afventer godkendelse"),
        (BookingStatus.waitlisted, "på venteliste"),
        (BookingStatus.offered, "tilbudt en plads"),
        (BookingStatus.confirmed, "bekræftet"),
    ],
)
def test_every_booking_that_may_become_a_seat_clashes(
    client, login_as, employee, make_session, four_days, status, shown
):
    _hold(employee, four_days, status)
    middle = make_session(start=four_days.starts_at + timedelta(days=1), days=2)
    login_as(employee)

    response = client.post(f"/hold/{middle.id}/tilmeld", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "overlapper din tilmelding til Samtaleteknik" in page
    first, last = four_days.starts_at.date(), four_days.ends_at.date()
    assert f"{danish(first)} – {danish(last)}" in page
    assert f"({shown})" in page
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Booking.id)).where(
                Booking.course_session_id == middle.id
            )
        )
        == 0
    )


@pytest.mark.parametrize(
    "status",
    [BookingStatus.cancelled, BookingStatus.rejected, BookingStatus.late_cancelled],
)
def test_a_booking_given_up_or_refused_does_not_clash(
    client, login_as, employee, make_session, four_days, status
):
    _hold(employee, four_days, status)
    middle = make_session(start=four_days.starts_at + timedelta(days=1), days=2)
    login_as(employee)

    assert client.post(f"/hold/{middle.id}/tilmeld").status_code == 302


def test_the_next_day_does_not_clash(
    client, login_as, employee, make_session, four_days
):
    _hold(employee, four_days, BookingStatus.requested)
    after = make_session(start=four_days.starts_at + timedelta(days=4))
    login_as(employee)

    assert client.post(f"/hold/{after.id}/tilmeld").status_code == 302


def test_the_session_page_says_so_before_anyone_presses(
    client, login_as, employee, make_session, four_days
):
    _hold(employee, four_days, BookingStatus.waitlisted)
    middle = make_session(start=four_days.starts_at + timedelta(days=2))
    login_as(employee)

    page = client.get(f"/kurser/{middle.course_id}").get_data(as_text=True)

    assert "overlapper din tilmelding til Samtaleteknik" in page
    assert f'action="/hold/{middle.id}/tilmeld"' not in page
