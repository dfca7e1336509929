"""How long a sign-in lasts, and what its cookies say, over real HTTP: a session
ends after 12 hours on the server whatever the browser keeps, and in production
both the session and the "husk mig" cookie are Secure, HttpOnly and SameSite=Lax.
(A password change or a deactivation ending other sessions: tests/core/test_auth.py
and test_admin.py.)"""

from datetime import timedelta

import pytest

from core.clock import now
from core.db import db
from core.people import services as people
from core.people.models import Role
from wsgi import create_app

PASSWORD = "correct horse battery"


def _sign_in(client, email: str, base_url: str = "http://localhost", **extra):
    response = client.post(
        "/log-ind",
        base_url=base_url,
        data={"email": email, "password": PASSWORD, **extra},
    )
    assert response.status_code == 302, response.text
    return response


def test_a_session_ends_after_twelve_hours(client, create_user, travel):
    person = create_user("employee", password=PASSWORD)
    start = travel(now().replace(hour=7, minute=30, tzinfo=None))
    _sign_in(client, person.email)
    # The cookie itself lasts until the browser closes; the server ends it.

    travel(start + timedelta(hours=11, minutes=59))
    assert client.get("/").status_code == 200
    travel(start + timedelta(hours=12, minutes=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/log-ind")


def test_a_stolen_cookie_kept_past_twelve_hours_opens_nothing(app, create_user, travel):
    """The end is kept on the server: a cookie copied from the browser and sent
    again later is refused, though it still carries its token."""
    person = create_user("employee", password=PASSWORD)
    start = travel(now().replace(hour=7, minute=30, tzinfo=None))
    browser, thief = app.test_client(), app.test_client()
    _sign_in(browser, person.email)
    thief.set_cookie("session", browser.get_cookie("session").value)
    travel(start + timedelta(hours=13))
    assert thief.get("/").status_code == 302


def test_the_session_lifetime_is_at_most_twelve_hours(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=12)


@pytest.mark.parametrize("remember", [False, True])
def test_in_production_the_cookies_are_secure_http_only_and_same_site(
    tmp_path, remember
):
    app = create_app(
        {
            "TESTING": True,
            "ENV": "production",
            "SECRET_KEY": "x" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cookies.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        people.create_user(
            None,
            email="mette@jobcenter.demo.dk",
            name="Mette",
            password=PASSWORD,
            roles={Role.employee},
        )
        db.session.commit()
        client = app.test_client()
        extra = {"remember": "y"} if remember else {}
        response = _sign_in(
            client,
            "mette@jobcenter.demo.dk",
            base_url="https://kompetence.example",
            **extra,
        )
        cookies = {
            c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")
        }
        db.session.remove()
        db.engine.dispose()

    expected = {"session", "remember_token"} if remember else {"session"}
    assert set(cookies) == expected
    for name, cookie in cookies.items():
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"secure", "httponly"} <= flags, name
        assert "SameSite=Lax" in cookie, name
