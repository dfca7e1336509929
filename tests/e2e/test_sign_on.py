"""A person signs in in Chromium through the organisation's OpenID provider (the
real oidc-provider on loopback, its own pages), lands on the dashboard with the
roles and team their groups give, and signs out of both."""

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from core.db import db
from core.people import services as people
from core.people.models import UnitKind
from tests.core.oidc.provider import free_port, running_provider
from tests.databases import postgres_url
from wsgi import create_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server_url(tmp_path_factory) -> Iterator[str]:
    """The app on its own port, creating accounts for people the provider vouches
    for; managers of the group JC-Ledere, in Team Nord through JC-Team-Nord."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("sso")
    with running_provider(
        f"{url}/log-ind/organisation/retur", f"{url}/log-ind", folder / "provider.log"
    ) as provider:
        app = create_app(
            {
                "DATABASE_URL": postgres_url("e2e_sso")
                or f"sqlite:///{folder / 'sso.sqlite3'}",
                "SECRET_KEY": "e2e-secret-key-that-is-long-enough-to-pass",
                **provider.settings(),
                "OIDC_CREATE_USERS": True,
                "OIDC_GROUP_ROLES": {"JC-Ledere": ["manager"]},
                "OIDC_GROUP_UNITS": {
                    "JC-Team-Nord": "Region Nord/Jobcenter Nord/Team Nord"
                },
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            region = people.create_unit(
                None, kind=UnitKind.region, name="Region Nord", parent=None
            )
            jobcentre = people.create_unit(
                None, kind=UnitKind.jobcentre, name="Jobcenter Nord", parent=region
            )
            people.create_unit(
                None, kind=UnitKind.team, name="Team Nord", parent=jobcentre
            )
            db.session.commit()
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield url
        server.shutdown()
        with app.app_context():
            db.drop_all()
            db.engine.dispose()


@pytest.fixture
def tab(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_manager_signs_in_through_the_provider_and_out_of_both(tab, server_url):
    tab.goto("/log-ind")
    tab.get_by_role("link", name="Log ind med din organisations konto").click()
    # The provider's own pages: its login form, then its consent screen.
    tab.locator('input[name="login"]').fill("lene.leder")
    tab.locator('input[name="password"]').fill("any password")
    tab.get_by_role("button", name="Sign-in").click()
    tab.get_by_role("button", name="Continue").click()

    expect(tab.get_by_role("heading", level=1)).to_have_text("Velkommen, Lene Leder")
    assert tab.url == f"{server_url}/"
    greeting = " ".join(tab.locator("main").inner_text().split())
    assert "Dine roller: Medarbejder, Leder." in greeting
    assert "Team: Team Nord, Jobcenter Nord." in greeting

    tab.get_by_role("button", name="Log ud").click()
    tab.get_by_role("button", name="Yes, sign me out").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert tab.url.startswith(f"{server_url}/log-ind")
    # Both sessions ended: going back out asks for the login again.
    tab.get_by_role("link", name="Log ind med din organisations konto").click()
    expect(tab.locator('input[name="login"]')).to_be_visible()
