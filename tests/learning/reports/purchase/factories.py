"""A jobcentre with one gap and one session that closes it, built from the
services: for tests outside this folder that need a purchase plan to post
(tests/test_numeric_fields.py)."""

from datetime import timedelta

from core.db import db, utcnow
from core.people.models import UnitKind
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.competences.models import CompetenceKind, Layer
from learning.matching.models import CourseCompetence
from tests.courses.bookings.factories import make_course, make_session

PATH = "/rapporter/indkoebsplan"


def one_seat_jobcentre(create_unit, create_user):
    """(the coordinator, the one rated colleague, the session that raises their
    one competence from 0 to the target 3 for 1.000 kr.)"""
    framework.get_scale()
    area = framework.save_area(None, None, code="LAW", title="Lovgivning")
    competence = framework.save_competence(
        None,
        None,
        code="B-V1",
        title="Viden om beskæftigelseslovgivningen",
        kind=CompetenceKind.knowledge,
        layer=Layer.basic,
        area=area,
    )
    basic = framework.save_profile(
        None, None, key="basic", title="Grundprofil", basic=True
    )
    framework.set_requirements(None, basic, {competence.id: (3, 2)})
    team = create_unit(UnitKind.team)
    coordinator = create_user("coordinator", "employee", team=team)
    person = create_user("employee", team=team)
    assessments.save_round(
        person,
        person,
        RatingSource.self,
        {competence.id: (0, "")},
        at=utcnow() - timedelta(days=1),
    )
    course = make_course(price=1000, title="Lovgivning grundigt")
    db.session.add(
        CourseCompetence(course_id=course.id, competence_id=competence.id, level=3)
    )
    db.session.commit()
    start = utcnow().replace(microsecond=0) + timedelta(days=30)
    return coordinator, person, make_session(course, start=start)


def _question(course_session) -> dict[str, str]:
    day = course_session.starts_at.date()
    return {
        "budget": "500.000",
        "starts_on": (day - timedelta(days=1)).isoformat(),
        "ends_on": (day + timedelta(days=1)).isoformat(),
    }


def ask_plan(login_as, create_user, create_unit):
    """The plan's question: read from the query string (sent as a GET)."""
    coordinator, _person, course_session = one_seat_jobcentre(create_unit, create_user)
    login_as(coordinator)
    return PATH, _question(course_session)


ask_plan.method = "GET"


def request_plan(login_as, create_user, create_unit):
    """The plan's one button: the seat goes back with the question."""
    coordinator, person, course_session = one_seat_jobcentre(create_unit, create_user)
    login_as(coordinator)
    seats = {"seats": f"{person.id}-{course_session.id}"}
    return f"{PATH}/anmod", _question(course_session) | seats
