"""Fixtures for the plan tests: a consultant with gaps, their manager, and paid
sessions of courses that close the gaps."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.db import db, utcnow
from core.people.models import OrgUnit, UnitKind, User
from courses.sessions.models import CourseSession
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.matching.models import CourseCompetence
from learning.plans import services
from tests.courses.bookings.factories import make_session
from tests.dates import today


@dataclass
class Setting:
    team: OrgUnit
    person: User
    manager: User
    sessions: list[CourseSession]


@pytest.fixture
def setting(small_framework, create_unit, create_user, rate) -> Setting:
    """Mette (company consultant, gaps in B-V1, B-H1, S-VK1), Lars her manager,
    and three 2.500 kr. sessions: two with seats, one with a single seat taken."""
    team = create_unit(UnitKind.team)
    manager = create_user("manager", team=team, name="Lars Jensen")
    team.manager = manager
    person = create_user("employee", team=team, name="Mette Nielsen")
    framework.set_user_profiles(None, person, [small_framework.consultant])
    db.session.commit()
    rate(small_framework, person, RatingSource.self, {"B-V1": 2, "B-H1": 1, "S-VK1": 2})
    sessions = []
    # A week apart: requests and waiting-list places keep their days busy.
    first = utcnow().replace(microsecond=0) + timedelta(days=30)
    for week, (code, capacity) in enumerate((("B-V1", 5), ("S-VK1", 5), ("B-H1", 1))):
        cs = make_session(
            capacity=capacity,
            price=2500,
            title=f"Kursus {code}",
            start=first + timedelta(days=7 * week),
        )
        db.session.add(
            CourseCompetence(
                course_id=cs.course_id,
                competence_id=small_framework.by_code(code).id,
                level=3,
            )
        )
        sessions.append(cs)
    db.session.commit()
    return Setting(team, person, manager, sessions)


@pytest.fixture
def plan_for(app):
    """plan_for(person): a plan for the period that contains today."""

    def make(person: User):
        starts_on, ends_on = services.period_containing(today())
        plan = services.create_plan(
            person, person, starts_on=starts_on, ends_on=ends_on
        )
        db.session.commit()
        return plan

    return make
