"""The demo catalogue and its sessions load twice without change, off holidays."""

from datetime import date, timedelta

import sqlalchemy as sa

from core.db import db
from core.people.demo import seed_people
from core.people.services import find_user_by_email
from courses.catalogue.demo import seed_catalogue
from courses.catalogue.models import Course, Provider, ProviderMember
from courses.catalogue.permissions import can_manage_course
from courses.diplomas.demo import seed_diplomas
from courses.diplomas.models import Diploma
from courses.sessions.demo import first_day, meeting_days, seed_sessions
from courses.sessions.models import CourseSession, Meeting
from courses.sessions.timing import holiday_name, local
from tests import dates


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _seed_all() -> None:
    seed_people()
    seed_catalogue()
    seed_diplomas()
    seed_sessions()
    db.session.commit()


def test_seeding_twice_changes_nothing(app):
    _seed_all()
    counts = [_count(m) for m in (Provider, Course, CourseSession, Meeting, Diploma)]
    _seed_all()
    assert [_count(m) for m in (Provider, Course, CourseSession, Meeting, Diploma)] == (
        counts
    )
    assert counts[1] >= 40
    assert counts[2] >= 80


def test_demo_meetings_fall_on_working_days_in_the_next_year(app):
    _seed_all()
    today = dates.today()
    for meeting in db.session.scalars(sa.select(Meeting)):
        day = local(meeting.starts_at).date()
        assert holiday_name(day) is None, (day, holiday_name(day))
        assert day.weekday() < 5
        assert today < day <= today + timedelta(days=400)


def test_leadership_course_is_one_session_over_months(app):
    _seed_all()
    course = db.session.scalar(
        sa.select(Course).where(Course.key == "led-100-foerste-dage")
    )
    (only,) = db.session.scalars(
        sa.select(CourseSession).where(CourseSession.course_id == course.id)
    ).all()
    titles = [m.title for m in only.meetings]
    assert titles[0] == "Modul 1"
    assert titles[-1].startswith("Modul 3")
    assert (only.ends_at - only.starts_at).days > 90


def test_provider_staff_are_linked_to_their_provider(app):
    _seed_all()
    staff = find_user_by_email("peter.holm@star.demo.dk")
    star = db.session.scalar(sa.select(Provider).where(Provider.key == "star"))
    assert db.session.get(ProviderMember, (star.id, staff.id)) is not None
    own = db.session.scalar(sa.select(Course).where(Course.provider_id == star.id))
    other = db.session.scalar(sa.select(Course).where(Course.provider_id != star.id))
    assert can_manage_course(staff, own)
    assert not can_manage_course(staff, other)


def test_first_day_skips_holidays_and_the_past():
    # Tuesdays in December 2026: the 1st, 8th, 15th, 22nd and 29th.
    assert first_day(date(2026, 12, 10), 0, "tue") == date(2026, 12, 15)
    # Easter Monday 2028 is 17 April, so April's Monday sessions skip to the 24th.
    assert first_day(date(2028, 4, 11), 0, "mon") == date(2028, 4, 24)
    assert first_day(date(2026, 12, 30), 0, "tue") == date(2027, 1, 5)


def test_meeting_days_step_over_holidays():
    # Christmas: Thursday 24th is a working day, 25th and 26th are holidays.
    assert meeting_days(date(2026, 12, 24), 3) == [
        date(2026, 12, 24),
        date(2026, 12, 28),
        date(2026, 12, 29),
    ]
    # Maundy Thursday 2027 is 25 March: the weekly module skips that week.
    assert meeting_days(date(2027, 3, 18), 3, every="week") == [
        date(2027, 3, 18),
        date(2027, 4, 1),
        date(2027, 4, 8),
    ]
