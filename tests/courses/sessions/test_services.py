"""Session services: capacity, deadlines, holidays, daylight saving, sequence."""

from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from core.db import db
from courses.sessions import services
from courses.sessions.models import CourseSession, SessionStatus
from courses.sessions.services import MeetingInput
from courses.sessions.timing import holiday_name, local
from courses.signals import session_cancelled, session_changed
from tests.courses.catalogue.factories import meeting, working_day
from tests.dates import future_year, last_sunday, today


@contextmanager
def refused(code: str):
    """The block raises SessionError with `code` (str() is the Danish message)."""
    with pytest.raises(services.SessionError) as caught:
        yield
    assert caught.value.code == code


def test_session_span_follows_meetings(make_course):
    course = make_course()
    course_session = services.create_session(
        None, course, meetings=[meeting(60), meeting(30)], capacity=12
    )
    db.session.commit()
    starts = [m.starts_at for m in course_session.meetings]
    assert course_session.starts_at == min(starts)
    assert course_session.ends_at == max(m.ends_at for m in course_session.meetings)
    assert local(course_session.starts_at).hour == 9


def test_meeting_on_a_public_holiday_is_refused_with_its_name(make_course):
    christmas = date(today().year + 1, 12, 25)
    with pytest.raises(services.SessionError) as caught:
        services.create_session(
            None,
            make_course(),
            meetings=[MeetingInput(day=christmas, start=time(9), end=time(12))],
        )
    assert caught.value.code == "holiday"
    assert caught.value.params["name"] == "Juledag"
    assert db.session.scalar(sa.select(sa.func.count(CourseSession.id))) == 0


def test_holiday_names_are_danish():
    assert holiday_name(date(2027, 5, 6)) == "Kristi himmelfartsdag"
    assert holiday_name(date(2026, 5, 1)) is None  # Store bededag is gone from 2024


def test_meetings_across_daylight_saving_keep_local_times(make_course):
    # The spring-forward Sunday ahead; meetings the Wednesday before and after.
    spring = last_sunday(future_year(3, 1), 3)
    wednesdays = (spring - timedelta(days=4), spring + timedelta(days=3))
    before, after = (
        MeetingInput(day=day, start=time(9), end=time(15)) for day in wednesdays
    )
    course_session = services.create_session(
        None, make_course(), meetings=[before, after]
    )
    db.session.commit()
    first, second = course_session.meetings
    assert first.starts_at == datetime.combine(wednesdays[0], time(8), UTC)
    assert second.starts_at == datetime.combine(wednesdays[1], time(7), UTC)
    assert local(first.starts_at).hour == local(second.starts_at).hour == 9


def test_meeting_during_the_autumn_change_keeps_wall_clock(make_course):
    # The clocks go back at 03:00 that Sunday, so 01:00-05:00 lasts five hours.
    autumn = last_sunday(future_year(10, 1), 10)
    night = MeetingInput(day=autumn, start=time(1), end=time(5))
    course_session = services.create_session(None, make_course(), meetings=[night])
    only = course_session.meetings[0]
    assert (local(only.starts_at).hour, local(only.ends_at).hour) == (1, 5)
    assert (only.ends_at - only.starts_at).total_seconds() == 5 * 3600


def test_time_that_does_not_exist_is_refused(make_course):
    # 02:00 jumps to 03:00 on the last Sunday of March; one that is not Easter Day.
    year = future_year(3, 1)
    while holiday_name(last_sunday(year, 3)):
        year += 1
    spring = last_sunday(year, 3)
    lost = MeetingInput(day=spring, start=time(2, 30), end=time(4))
    with refused("time_does_not_exist"):
        services.create_session(None, make_course(), meetings=[lost])


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"capacity": -1}, "capacity_negative"),
        ({"min_participants": 30, "capacity": 10}, "minimum_out_of_range"),
        ({"price_state": "tyve"}, "price_not_a_number"),
        ({"price_municipal": "-5"}, "price_negative"),
    ],
)
def test_bad_session_values_are_refused(make_course, fields, code):
    with pytest.raises(services.SessionError) as caught:
        services.create_session(None, make_course(), meetings=[meeting()], **fields)
    assert caught.value.code == code


def test_meeting_that_ends_before_it_starts_is_refused(make_course):
    backwards = MeetingInput(day=working_day(20), start=time(15), end=time(9))
    with refused("meeting_ends_before_start"):
        services.create_session(None, make_course(), meetings=[backwards])


def test_deadline_after_start_is_refused(make_course):
    with refused("deadline_after_start"):
        services.create_session(
            None,
            make_course(),
            meetings=[meeting(10)],
            booking_deadline=working_day(40),
        )


def test_capacity_cannot_fall_below_seats_taken(make_session):
    course_session = make_session(capacity=10)
    course_session.seats_taken = 6
    db.session.commit()
    with pytest.raises(services.SessionError) as caught:
        services.update_session(None, course_session, capacity=5)
    assert caught.value.code == "capacity_below_taken"
    assert caught.value.params["taken"] == 6
    db.session.rollback()
    assert db.session.get(CourseSession, course_session.id).capacity == 10


def test_overlapping_meetings_are_refused(make_session):
    course_session = make_session(days=(30,))
    with refused("meetings_overlap"):
        services.add_meeting(None, course_session, meeting(30, start=time(10)))


def test_changes_raise_sequence_and_signal(make_session):
    course_session = make_session(days=(30,))
    seen = []
    with session_changed.connected_to(lambda sender, **kw: seen.append(sender)):
        services.add_meeting(None, course_session, meeting(60))
        services.update_session(None, course_session, location="Aarhus")
        services.update_session(
            None, course_session, capacity=11
        )  # not a calendar change
    db.session.commit()
    assert course_session.sequence == 2
    assert seen == [course_session, course_session]
    moved = course_session.meetings[1]
    services.update_meeting(None, moved, meeting(61, place="Odense"))
    assert moved.sequence == 1
    assert moved.place == "Odense"


def test_cancel_session_cancels_meetings_and_tells_listeners(make_session):
    course_session = make_session(days=(30, 31))
    seen = []
    with session_cancelled.connected_to(lambda sender, **kw: seen.append(kw["reason"])):
        services.cancel_session(None, course_session, reason="For få tilmeldte")
    db.session.commit()
    assert course_session.status is SessionStatus.cancelled
    assert all(m.cancelled for m in course_session.meetings)
    assert seen == ["For få tilmeldte"]
    with refused("session_cancelled"):
        services.update_session(None, course_session, capacity=3)


def test_last_meeting_cannot_be_cancelled(make_session):
    course_session = make_session(days=(30, 31))
    first, second = course_session.meetings
    services.cancel_meeting(None, first)
    assert course_session.starts_at == second.starts_at
    with refused("last_meeting"):
        services.cancel_meeting(None, second)


def test_archived_course_gets_no_new_sessions(make_course):
    from courses.catalogue.services import archive_course

    course = make_course()
    archive_course(None, course)
    with refused("course_archived"):
        services.create_session(None, course, meetings=[meeting()])


def test_giving_an_all_day_meeting_clock_times_makes_it_a_timed_meeting(make_session):
    course_session = make_session(days=(30,))
    day = course_session.meetings[0]
    day.all_day = True  # as the calendar import leaves it
    db.session.commit()

    services.update_meeting(None, day, meeting(30))
    db.session.commit()

    assert not day.all_day
    assert local(day.starts_at).hour == 9
