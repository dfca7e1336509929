"""Fixtures for provisioning: an administrator's SCIM token, a few teams, and
requests with it through the Flask test client."""

import pytest

from core.db import db
from core.people.models import UnitKind
from core.tokens import services as tokens


@pytest.fixture
def admin(create_user):
    return create_user("admin", email="it-admin@jobcenter.demo.dk", name="IT Admin")


@pytest.fixture
def scim_token(admin) -> str:
    _token, plaintext = tokens.issue(admin, "Entra ID", ["scim"])
    db.session.commit()
    return plaintext


@pytest.fixture
def scim(client, scim_token):
    """scim(method, path, json=None, **kwargs): a request under /scim/v2 with the
    token, as a directory sends it."""

    def call(method: str, path: str, json=None, **kwargs):
        headers = {"Authorization": f"Bearer {scim_token}", **kwargs.pop("headers", {})}
        return client.open(
            "/scim/v2" + path,
            method=method,
            json=json,
            headers=headers,
            **kwargs,
        )

    return call


@pytest.fixture
def teams(create_unit):
    """Two teams in one jobcentre: {'Nord': unit, 'Syd': unit}."""
    region = create_unit(UnitKind.region, name="Region Midt")
    centre = create_unit(UnitKind.jobcentre, name="Jobcenter Aarhus", parent=region)
    return {
        name: create_unit(UnitKind.team, name=name, parent=centre)
        for name in ("Nord", "Syd")
    }
