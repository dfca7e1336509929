"""Fixtures for the matching tests: a rated consultant and linked courses."""

import pytest

from core.db import db
from core.people.models import UnitKind
from learning.assessments.models import RatingSource
from learning.competences import services as framework


@pytest.fixture
def link(small_framework):
    """link(course, {code: level}): the course develops these competences."""

    # Imported here so that the pure ranking tests beside run without the tables.
    from learning.matching.models import CourseCompetence

    def make(course, levels: dict[str, int]):
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
def team(create_unit):
    return create_unit(UnitKind.team)


@pytest.fixture
def consultant(small_framework, create_user, rate, team):
    """A company consultant with gaps in B-V1 (2 of 3, priority 3), B-H1 (1 of 3,
    priority 3) and S-VK1 (2 of 3, priority 2); B-A1 is met."""
    person = create_user("employee", team=team, name="Mette Nielsen")
    framework.set_user_profiles(None, person, [small_framework.consultant])
    rate(
        small_framework,
        person,
        RatingSource.self,
        {"B-V1": 2, "B-H1": 1, "B-A1": 3, "S-VK1": 2},
    )
    return person
