"""Schedule clashes go by course days (issue 15): two sessions clash when they
meet on the same date in Copenhagen, whatever the hours, and the days a person
hosts an internal offer are busy too. The refusal, the course page, the waiting
list's offers and the suggestions all read the one rule."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.db import db, utcnow
from courses.bookings import guards, services
from courses.bookings.course_days import share_a_day
from courses.bookings.models import Booking, BookingStatus
from courses.sessions.models import Meeting
from learning.internal.models import InternalOffer, OfferKind
from learning.matching import engine, ranking
from tests.dates import at, danish, working_day


def _hold(person, course_session, status: BookingStatus) -> Booking:
    """A booking in `status`, as the life cycle would have left it."""
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


@pytest.fixture
def day():
    return working_day(40)


@pytest.fixture
def morning(make_session, day):
    """A one-day course from 9 to 12 on `day`."""
    return make_session(start=at(day, time(9)), hours=3, title="Samtaleteknik")


def _afternoon(make_session, day, **kwargs):
    return make_session(start=at(day, time(13)), hours=3, **kwargs)


def _count(course_session) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.course_session_id == course_session.id
        )
    )


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (BookingStatus.requested, "afventer godkendelse"),
        (BookingStatus.waitlisted, "på venteliste"),
        (BookingStatus.offered, "tilbudt en plads"),
        (BookingStatus.confirmed, "bekræftet"),
    ],
)
def test_a_course_day_is_busy_whatever_the_hours(
    client, login_as, employee, make_session, day, morning, status, shown
):
    _hold(employee, morning, status)
    afternoon = _afternoon(make_session, day)
    login_as(employee)

    response = client.post(f"/hold/{afternoon.id}/tilmeld")

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (
        f"overlapper din tilmelding til Samtaleteknik {danish(day)} ({shown})" in page
    )
    assert _count(afternoon) == 0


@pytest.mark.parametrize(
    "status",
    [BookingStatus.cancelled, BookingStatus.rejected, BookingStatus.late_cancelled],
)
def test_a_booking_given_up_or_refused_keeps_no_day_busy(
    client, login_as, employee, make_session, day, morning, status
):
    _hold(employee, morning, status)
    afternoon = _afternoon(make_session, day)
    login_as(employee)

    assert client.post(f"/hold/{afternoon.id}/tilmeld").status_code == 302
    assert _count(afternoon) == 1


def test_back_to_back_days_do_not_clash(client, login_as, employee, make_session, day):
    # 9 to midnight: a meeting that ends as the next day begins does not take it.
    late = make_session(start=at(day, time(9)), hours=15)
    _hold(employee, late, BookingStatus.confirmed)
    next_day = make_session(start=at(day + timedelta(days=1), time(0)), hours=8)
    login_as(employee)

    assert client.post(f"/hold/{next_day.id}/tilmeld").status_code == 302


def test_a_day_between_two_course_days_is_free(
    client, login_as, employee, make_session, day
):
    """A session meets on its course days, not on the days between them."""
    first = make_session(start=at(day, time(9)), hours=6)
    third = at(day + timedelta(days=2), time(9))
    first.meetings.append(
        Meeting(starts_at=third, ends_at=third + timedelta(hours=6), place="Lokale 1")
    )
    first.ends_at = third + timedelta(hours=6)
    db.session.commit()
    _hold(employee, first, BookingStatus.confirmed)
    between = make_session(start=at(day + timedelta(days=1), time(9)))
    login_as(employee)

    assert client.post(f"/hold/{between.id}/tilmeld").status_code == 302


@pytest.fixture
def hosted(make_session, employee, team, day):
    """`employee` hosts a job shadowing in the afternoon of `day`."""
    cs = _afternoon(make_session, day, title="Følordning hos Mette")
    db.session.add(
        InternalOffer(
            course_session=cs,
            host=employee,
            jobcentre=team.parent,
            kind=OfferKind.job_shadowing,
        )
    )
    db.session.commit()
    return cs


def test_the_day_a_person_hosts_an_internal_offer_is_busy(
    client, login_as, employee, make_employee, hosted, morning, day
):
    login_as(employee)
    expected = f"overlapper Følordning hos Mette {danish(day)}, som du er vært for"

    page = client.get(f"/kurser/{morning.course_id}").get_data(as_text=True)
    assert expected in page
    assert f'action="/hold/{morning.id}/tilmeld"' not in page

    response = client.post(f"/hold/{morning.id}/tilmeld")
    assert response.status_code == 409
    assert expected in response.get_data(as_text=True)
    assert _count(morning) == 0

    # A colleague who does not host it may book the course that day.
    login_as(make_employee())
    assert client.post(f"/hold/{morning.id}/tilmeld").status_code == 302


def test_the_waiting_list_passes_over_a_clash_and_names_it(
    client, login_as, employee, make_employee, make_session, day
):
    full = make_session(start=at(day, time(9)), hours=3, capacity=1)
    holder = services.book(employee, full)
    waiting = make_employee()
    place = services.book(waiting, full)
    db.session.commit()
    assert place.status is BookingStatus.waitlisted
    # Asked for later on another day, then moved to the afternoon of the same day.
    other = make_session(start=at(day + timedelta(days=7), time(13)), title="Jura")
    services.book(waiting, other)
    for meeting in other.meetings:
        meeting.starts_at -= timedelta(days=7)
        meeting.ends_at -= timedelta(days=7)
    other.starts_at -= timedelta(days=7)
    other.ends_at -= timedelta(days=7)
    db.session.commit()
    login_as(employee)

    client.post(f"/tilmeldinger/{holder.id}/afmeld")

    db.session.refresh(place)
    assert place.status is BookingStatus.waitlisted
    login_as(waiting)
    page = client.get("/tilmeldinger/").get_data(as_text=True)
    assert "overlapper din tilmelding til Jura " + danish(day) + " (bekræftet)" in page


def _offer_of(course_session) -> ranking.Offer:
    """The session as the matching's ranking sees it, closing competence 1."""
    return ranking.Offer(
        course_session_id=course_session.id,
        course_id=course_session.course_id,
        audience="both",
        price_state=Decimal(0),
        price_municipal=Decimal(0),
        capacity=10,
        seats_taken=0,
        starts_at=course_session.starts_at,
        ends_at=course_session.ends_at,
        first_day=course_session.starts_at.date(),
        links=((1, 3),),
        meetings=tuple((m.starts_at, m.ends_at) for m in course_session.meetings),
    )


def test_suggestions_leave_out_what_the_booking_would_refuse(
    employee, make_session, hosted, day
):
    """The matching reads the guards' busy time and their day rule: a session is
    suggested exactly when booking it would not be refused as a clash."""
    courses_day = make_session(start=at(day, time(8)), hours=1)
    next_day = make_session(start=at(day + timedelta(days=1), time(9)))
    busy = engine.load([employee]).people[employee.id].busy
    me = ranking.Person(employee.id, "municipal", (ranking.Gap(1, 1, 3, 1),), busy=busy)

    found = ranking.suggest_many(
        [me], [_offer_of(courses_day), _offer_of(next_day)], utcnow()
    )

    assert [s.offer.course_session_id for s in found[employee.id]] == [next_day.id]
    both = (courses_day, next_day)
    ranked = {
        cs.id
        for cs in both
        if ranking.refusal(me, _offer_of(cs), utcnow()) == ranking.CLASH
    }
    guarded = {cs.id for cs in both if guards.clashing_course(employee, cs)}
    assert ranked == guarded == {courses_day.id}


def test_course_days_are_dates_in_copenhagen(day):
    """23:00 in Copenhagen is the same day as 06:00, whatever the date in UTC;
    half past midnight is the next."""
    late_evening = [(at(day, time(23)), at(day, time(23, 30)))]
    next_day = day + timedelta(days=1)
    assert share_a_day(late_evening, [(at(day, time(6)), at(day, time(7)))])
    assert not share_a_day(
        late_evening, [(at(next_day, time(0, 30)), at(next_day, time(2)))]
    )


def test_the_purchase_plan_never_gives_one_person_two_seats_on_a_day(make_session, day):
    """The purchase plan's seats obey the same day rule as the bookings."""
    from learning.reports.purchase import optimise
    from learning.reports.purchase import services as purchase

    morning_ = make_session(start=at(day, time(9)), hours=3)
    afternoon = _afternoon(make_session, day)
    next_day = make_session(start=at(day + timedelta(days=1), time(9)))
    ids = [morning_.id, afternoon.id, next_day.id]

    pairs = optimise.clashing_pairs(purchase._meetings(ids))

    assert pairs == {frozenset((morning_.id, afternoon.id))}
