"""The product shows and counts Copenhagen's dates at the turn of the year, and
wherever the server's own clock is set (the server's time zone changes nothing)."""

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.models import UnitKind
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from courses.diplomas import services as diplomas
from courses.diplomas.models import (
    Diploma,
    DiplomaModule,
    ModuleKind,
    ModuleProgress,
)
from courses.sessions.models import CourseSession
from tests.dates import danish, today, working_day

LOS_ANGELES = "America/Los_Angeles"


def new_years_eve(hour: int = 23, minute: int = 30) -> datetime:
    """The coming 31 December at `hour`:`minute`, Copenhagen wall time."""
    return datetime(today().year, 12, 31, hour, minute)


@pytest.fixture
def team(create_unit):
    return create_unit(UnitKind.team)


@pytest.fixture
def employee(create_user, team):
    manager = create_user("manager", team=team)
    team.manager = manager
    db.session.commit()
    return create_user("employee", team=team)


@pytest.mark.parametrize("server_zone", [None, LOS_ANGELES])
def test_at_23_30_on_new_years_eve_a_session_shows_its_deadline_and_days(
    client, login_as, make_provider, make_course, travel, server_zone
):
    travel(new_years_eve(), server_zone=server_zone)
    assert clock.today() == date(today().year, 12, 31)
    course = make_course(make_provider(login_as("provider_staff")), title="Nytår")
    first = working_day(1)  # early January: the clock's tomorrow, not the server's
    second = working_day((first - today()).days + 1)
    deadline = today()  # the booking deadline is today, the last day of the year

    response = client.post(
        f"/kurser/{course.id}/hold/nyt",
        data={
            "capacity": "10",
            "min_participants": "",
            "price_state": "",
            "price_municipal": "",
            "booking_deadline": deadline.isoformat(),
            "cancellation_deadline": "",
            "location": "Vejle",
            "online_url": "",
            "status": "open",
            "day": first.isoformat(),
            "start": "09:00",
            "end": "15:00",
            "place": "",
            "title": "",
        },
    )
    assert response.status_code == 302, response.text
    course_session = db.session.scalar(sa.select(CourseSession))
    response = client.post(
        f"/hold/{course_session.id}/kursusdage/ny",
        data={"day": second.isoformat(), "start": "09:00", "end": "15:00"},
    )
    assert response.status_code == 302, response.text

    for page in (f"/kurser/{course.id}", f"/hold/{course_session.id}"):
        text = client.get(page).text
        assert danish(deadline) in text, page
        assert danish(first) in text, page
        assert danish(second) in text, page
    days = [
        m.first_day for m in db.session.get(CourseSession, course_session.id).meetings
    ]
    assert days == [first, second]


def test_booking_is_open_to_the_last_minute_of_the_deadline_day_in_copenhagen(
    employee, create_user, team, make_session, travel
):
    eve = travel(new_years_eve(23, 30), server_zone=LOS_ANGELES)
    course_session = make_session(
        days=(10,), booking_deadline=today(), price_municipal=0
    )
    assert course_session.booking_deadline == datetime.combine(
        eve.date(), time(23, 59), tzinfo=clock.COPENHAGEN
    )
    bookings.book(employee, course_session)  # 23:30 on the day: still open
    db.session.commit()

    travel(eve + timedelta(hours=1), server_zone=LOS_ANGELES)  # 00:30, 1 January
    late = create_user("employee", team=team)
    with pytest.raises(BookingError) as refused:
        bookings.book(late, course_session)
    assert refused.value.code == "booking_closed"


def test_the_budget_page_opens_on_the_new_year_just_after_midnight(
    client, login_as, team, travel
):
    new_year = travel(new_years_eve() + timedelta(hours=1))  # 00:30 Copenhagen
    login_as("coordinator", team=team)

    text = client.get("/budgetter/").text

    assert f"Budgetter {new_year.year}" in text


def test_a_module_completed_just_after_midnight_is_dated_that_day(
    employee, create_user, make_session, travel
):
    course_session = make_session(days=(10,), price_municipal=0)
    module = DiplomaModule(
        diploma=Diploma(key="dib", title="Diplom i beskæftigelse"),
        course=course_session.course,
        ects=10,
        kind=ModuleKind.mandatory,
    )
    db.session.add(module)
    booking = bookings.book(employee, course_session)
    db.session.commit()
    # Half past midnight in Copenhagen the day after the session: UTC is still
    # on the session's own day.
    after = travel(
        datetime.combine(course_session.meetings[-1].last_day, time(0, 30))
        + timedelta(days=1)
    )

    bookings.record_attendance(create_user("admin"), booking, "completed")

    progress = db.session.scalar(sa.select(ModuleProgress))
    assert progress.completed_on == after.date()


def test_a_diploma_started_today_is_not_in_the_future_on_a_server_in_los_angeles(
    app, employee, travel
):
    # 08:00 in Copenhagen is 23:00 the day before in Los Angeles.
    morning = travel(
        datetime.combine(today() + timedelta(days=1), time(8)), server_zone=LOS_ANGELES
    )
    diploma = Diploma(key="dib", title="Diplom i beskæftigelse")
    db.session.add(diploma)
    db.session.flush()

    diplomas.enrol(employee, employee, diploma, morning.date())

    result = diplomas.progress(employee, diploma)
    assert result.deadline is not None
