"""A jobcentre where the optimal purchase plan beats the greedy one.

Two teams, each with its manager; the coordinator works in team A. Two people
are rated (unrated competences are no gap):
- Pia (team A): B-V1 at 0 of 3, priority 3: gap 9.
- Per (team B): B-V1 at 0 of 3 (gap 9) and B-A1 at 2 of 3, priority 1 (gap 1).
Two sessions: "Etik i praksis" (1.000 kr., raises B-A1 to 3) and "Lovgivning
grundigt" (10.000 kr., raises B-V1 to 3). With 20.500 kr. greedy takes the best
gap per krone first (Per on Etik: 1 per 1.000 kr.), then Pia on Lovgivning, and
cannot afford Per on it: gap 10 for 11.000 kr. The optimum puts both on
Lovgivning: gap 18 for 20.000 kr.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.db import db, utcnow
from core.people.models import OrgUnit, UnitKind, User
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession
from learning.assessments.models import RatingSource
from tests.courses.bookings.factories import make_course, make_session

BUDGET = "20.500"


@dataclass
class World:
    jobcentre: OrgUnit
    team_a: OrgUnit
    team_b: OrgUnit
    coordinator: User
    manager_a: User
    manager_b: User
    pia: User
    per: User
    ethics: CourseSession
    law: CourseSession


@pytest.fixture
def link(small_framework):
    """link(course, {code: level}): the course develops these competences."""
    from learning.matching.models import CourseCompetence

    def make(course: Course, levels: dict[str, int]) -> Course:
        for code, level in levels.items():
            db.session.add(
                CourseCompetence(
                    course_id=course.id,
                    competence_id=small_framework.by_code(code).id,
                    level=level,
                )
            )
        db.session.commit()
        return course

    return make


@pytest.fixture
def world(small_framework, create_unit, create_user, rate, link) -> World:
    jobcentre = create_unit(UnitKind.jobcentre, name="Jobcenter Indkøb")
    team_a = create_unit(UnitKind.team, name="Team A", parent=jobcentre)
    team_b = create_unit(UnitKind.team, name="Team B", parent=jobcentre)
    manager_a = create_user("manager", "employee", team=team_a, name="Anne Leder")
    manager_b = create_user("manager", "employee", team=team_b, name="Bo Leder")
    team_a.manager, team_b.manager = manager_a, manager_b
    coordinator = create_user(
        "coordinator", "employee", team=team_a, name="Hanne Koordinator"
    )
    pia = create_user("employee", team=team_a, name="Pia Andersen")
    per = create_user("employee", team=team_b, name="Per Bach")
    db.session.commit()
    rate(small_framework, pia, RatingSource.self, {"B-V1": 0})
    rate(small_framework, per, RatingSource.self, {"B-V1": 0, "B-A1": 2})
    start = utcnow().replace(microsecond=0) + timedelta(days=30)
    ethics = make_session(
        link(make_course(title="Etik i praksis", price=1000), {"B-A1": 3}),
        start=start,
    )
    law = make_session(
        link(make_course(title="Lovgivning grundigt", price=10_000), {"B-V1": 3}),
        start=start + timedelta(days=7),
    )
    return World(
        jobcentre,
        team_a,
        team_b,
        coordinator,
        manager_a,
        manager_b,
        pia,
        per,
        ethics,
        law,
    )


def plan_url(budget: str = BUDGET, **extra) -> str:
    """The plan page for the default period with this budget."""
    from urllib.parse import urlencode

    return "/rapporter/indkoebsplan?" + urlencode({"budget": budget, **extra})
