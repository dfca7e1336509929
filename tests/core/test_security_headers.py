"""The headers that lock the browser down, on the responses that need them."""

import pytest

from core.db import db
from wsgi import create_app


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in policy.split(";"))
    return {name: value for name, value in pairs}


def test_every_page_carries_a_policy_that_refuses_inline_scripts(client):
    response = client.get("/log-ind")
    assert response.status_code == 200
    policy = _directives(response)
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert policy["style-src-elem"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_an_error_page_carries_the_policy_too(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_files_and_json_carry_no_page_policy(client):
    assert "Content-Security-Policy" not in client.get("/healthz").headers


@pytest.mark.parametrize("env", ["development", "production"])
def test_https_is_demanded_in_production_only(tmp_path, env):
    app = create_app(
        {
            "TESTING": True,
            "ENV": env,
            "SECRET_KEY": "x" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}",
        }
    )
    with app.app_context():
        db.create_all()
    response = app.test_client().get("/healthz")
    hsts = response.headers.get("Strict-Transport-Security")
    if env == "production":
        assert hsts == "max-age=31536000; includeSubDomains"
        assert app.config["SESSION_COOKIE_SECURE"] is True
    else:
        assert hsts is None


def test_cookies_are_http_only_and_same_site(client, login_as):
    login_as("employee")
    response = client.post("/log-ud")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies, "signing out rewrites the session cookie"
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
