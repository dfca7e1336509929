"""Fixtures for the booking tests: a team with a manager, people, sessions."""

import pytest

from core.db import db
from core.people.models import UnitKind
from tests.courses.bookings import factories


@pytest.fixture
def make_session(app):
    return factories.make_session


@pytest.fixture
def make_course(app):
    return factories.make_course


@pytest.fixture
def make_provider(app):
    return factories.make_provider


@pytest.fixture
def team(create_unit):
    return create_unit(UnitKind.team)


@pytest.fixture
def manager(create_user, team):
    user = create_user("manager", team=team)
    team.manager = user
    db.session.commit()
    return user


@pytest.fixture
def employee(create_user, team, manager):
    return create_user("employee", team=team)


@pytest.fixture
def make_employee(create_user, team, manager):
    def make(**kwargs):
        kwargs.setdefault("team", team)
        return create_user("employee", **kwargs)

    return make
