"""Fixtures for the catalogue tests."""

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
