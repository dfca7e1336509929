"""Fixtures for the API tests: tokens issued through core.tokens, and the
learning tests' framework, ratings and plans."""

import pytest

from core.api.auth import SCOPES
from core.db import db
from core.tokens import services as tokens
from tests.learning.conftest import rate, small_framework  # noqa: F401
from tests.learning.plans.conftest import plan_for, setting  # noqa: F401


@pytest.fixture
def token_for(app):
    """token_for(user, *scopes): the Authorization header of a new token of
    `user` (every scope the API has when none are named)."""

    def make(user, *scopes: str) -> dict[str, str]:
        _token, plaintext = tokens.issue(user, "Test", list(scopes or SCOPES))
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}

    return make
