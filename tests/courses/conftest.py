"""Factories shared by the supply-side tests: providers, courses and sessions.

The booking tests override these with factories of their own that speak in
prices and capacities (tests/courses/bookings/conftest.py).
"""

import pytest

from tests.courses.catalogue import factories


@pytest.fixture
def make_provider(app):
    return factories.make_provider


@pytest.fixture
def make_course(app):
    return factories.make_course


@pytest.fixture
def make_session(app):
    return factories.make_session
