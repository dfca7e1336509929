"""The demo's courses of the specialist areas: seed 002's seminars and network
meetings with a specialist function as 'specialistteam' become demo courses of
the region's advisory function, each with a session on a working day computed
from the product's clock, linked to its area and the region's function; the
specialist functions' own catalogue courses are linked to their areas; loading
the demo twice changes nothing."""

from datetime import datetime, time

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import SpecialistArea
from courses.catalogue.models import Course
from courses.sessions.demo import first_day
from courses.sessions.models import CourseSession, SessionStatus
from courses.sessions.timing import COPENHAGEN
from learning.specialist.demo_courses import ADVISORY, MEETINGS
from learning.specialist.models import AreaCourse
from tests.dates import ahead, is_working_day, today
from tests.routes import seed_demo, sign_in


def _counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Course, CourseSession, AreaCourse)
    )


def _sessions(course: Course) -> list[CourseSession]:
    return list(
        db.session.scalars(
            sa.select(CourseSession).where(CourseSession.course_id == course.id)
        )
    )


def _meetings() -> dict[str, Course]:
    keys = [row[0] for row in MEETINGS]
    return {
        c.key: c
        for c in db.session.scalars(sa.select(Course).where(Course.key.in_(keys)))
    }


def test_seed_002s_meetings_are_demo_sessions_linked_to_their_areas(app, client):
    people = seed_demo(app)
    found = _meetings()
    assert len(found) == len(MEETINGS) == 4
    for key, _project, title, _text, area, offset, weekday, place, _seats in MEETINGS:
        course = found[key]
        assert course.demo
        assert course.title == title
        assert course.provider.key == ADVISORY
        (session,) = _sessions(course)
        assert session.status is SessionStatus.open
        day = session.starts_at.astimezone(COPENHAGEN).date()
        assert day == first_day(today(), offset, weekday)
        assert day > today()
        assert is_working_day(day)
        assert session.location == place
        link = db.session.get(AreaCourse, (area, course.id))
        assert link is not None, key
        assert (
            link.function.region.name == "Beskæftigelsesregion Hovedstaden og Sjælland"
        )
    # EURES is not one of seed 002's three specialist functions.
    assert {row[4] for row in MEETINGS} == {
        SpecialistArea.ethnic_minorities,
        SpecialistArea.disability,
        SpecialistArea.gender_equality,
    }

    # The functions' own courses belong to their areas: SEBI's to its function.
    linked = {
        (link.area, link.course.key): link.function
        for link in db.session.scalars(sa.select(AreaCourse))
    }
    assert linked[
        (SpecialistArea.ethnic_minorities, "sebi-noeglepersoner")
    ].name.startswith("SEBI")
    assert linked[(SpecialistArea.disability, "sjh-noeglepersoner")] is None
    assert (SpecialistArea.eures, "eures-international-jobformidling") in linked

    # A colleague sees them among the area's upcoming sessions.
    sign_in(client, people["employee"])
    page = client.get("/specialomraader/etniske-minoriteter/").get_data(as_text=True)
    assert "Seminar: den nye matchmodel og borgere med anden etnisk baggrund" in page
    assert "Netværksmøde for nøglepersoner på det etniske område" in page


def test_loading_the_demo_twice_adds_nothing(app):
    seed_demo(app)
    before = _counts()
    seed_demo(app)
    assert _counts() == before


@pytest.mark.parametrize("days", [45, 200])
def test_the_dates_follow_the_products_clock(app, travel, days):
    moved = travel(datetime.combine(ahead(days), time(10)))
    seed_demo(app)
    for course in _meetings().values():
        (session,) = _sessions(course)
        day = session.starts_at.astimezone(COPENHAGEN).date()
        assert day > moved.date()
        assert is_working_day(day)
