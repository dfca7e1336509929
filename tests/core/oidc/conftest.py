"""An app that signs people in through the test OpenID provider, which runs for
the whole session on loopback (see provider.py)."""

from collections.abc import Iterator

import pytest
from flask import Flask

from core.db import db
from tests.conftest import IsolatedClient
from tests.core.oidc.provider import Provider, running_provider
from wsgi import create_app

BACK = "http://localhost/log-ind/organisation/retur"
SIGNED_OUT = "http://localhost/log-ind"


@pytest.fixture(scope="session")
def provider(tmp_path_factory) -> Iterator[Provider]:
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with running_provider(BACK, SIGNED_OUT, log) as running:
        yield running


@pytest.fixture(scope="session")
def app(database_url, provider) -> Iterator[Flask]:
    """The suite's app, with single sign-on through `provider`."""
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "SERVER_NAME": "localhost",
            **provider.settings(),
            "OIDC_GROUP_ROLES": {
                "JC-Ledere": ["manager"],
                "JC-Kursusadmin": ["coordinator", "admin"],
            },
            "OIDC_GROUP_UNITS": {
                "JC-Team-Nord": "Region Nord/Jobcenter Nord/Team Nord"
            },
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()
