"""Bearer tokens through real HTTP: a small guarded view on an app of its own,
the same database as every test."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Blueprint, g, jsonify
from flask_login import current_user

from core import clock
from core.db import db
from core.tokens import require_token
from core.tokens import services as tokens
from core.tokens.models import ApiToken
from tests.conftest import IsolatedClient
from wsgi import create_app

pytestmark = pytest.mark.usefixtures("app")

probe = Blueprint("token_probe", __name__, url_prefix="/_token_probe")


@probe.route("/", methods=["GET", "POST"])
@require_token("things:read")
def read():
    return jsonify(user=current_user.email, token=g.api_token.name)


@pytest.fixture(scope="module")
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "SERVER_NAME": "localhost",
        }
    )
    app.register_blueprint(probe)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def owner(create_user):
    return create_user(email="ejer@jobcenter.demo.dk")


def issue(owner, *scopes, **kwargs):
    token, secret = tokens.issue(
        owner, "Lønsystem", scopes or ["things:read"], **kwargs
    )
    db.session.commit()
    return token, secret


def test_only_the_hash_of_the_secret_is_kept(owner):
    token, secret = issue(owner, "things:read", "other:write")

    row = db.session.execute(
        sa.text("SELECT token_hash, prefix, scopes FROM api_tokens")
    ).one()
    assert secret not in "".join(row)
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:8]
    assert row.scopes == "other:write things:read"
    assert token.scopes == {"things:read", "other:write"}
    assert token.owner_id == owner.id


def test_a_valid_token_acts_as_its_owner_without_a_cookie(client, owner):
    _token, secret = issue(owner)

    response = client.get("/_token_probe/", headers=bearer(secret))

    assert response.status_code == 200
    assert response.json == {"user": "ejer@jobcenter.demo.dk", "token": "Lønsystem"}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer kp_unknown",
        "Basic dXNlcjpwdw==",
        "Token x",
        "Bearer a b",
    ],
)
def test_no_valid_token_is_401_with_a_challenge(client, owner, header):
    issue(owner)
    headers = {"Authorization": header} if header else {}

    response = client.get("/_token_probe/", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")
    if header:
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_signed_in_browser_is_not_a_token(client, login_as):
    login_as("employee")

    assert client.get("/_token_probe/").status_code == 401
    assert client.post("/_token_probe/").status_code == 401


def test_a_token_without_the_scope_is_403(client, owner):
    _token, secret = issue(owner, "other:read")

    response = client.get("/_token_probe/", headers=bearer(secret))

    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert 'scope="things:read"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_stops_working(client, owner):
    token, secret = issue(owner)
    assert client.get("/_token_probe/", headers=bearer(secret)).status_code == 200

    tokens.revoke(token, by=owner)
    db.session.commit()

    assert client.get("/_token_probe/", headers=bearer(secret)).status_code == 401
    assert db.session.get(ApiToken, token.id).revoked_at is not None


def test_an_expired_token_stops_working(client, owner, travel):
    _token, secret = issue(owner, expires_at=clock.now() + timedelta(days=1))
    assert client.get("/_token_probe/", headers=bearer(secret)).status_code == 200

    travel(clock.now() + timedelta(days=1, seconds=1))

    assert client.get("/_token_probe/", headers=bearer(secret)).status_code == 401


def test_a_deactivated_owners_token_stops_working(client, owner):
    _token, secret = issue(owner)
    owner.active = False
    db.session.commit()

    assert client.get("/_token_probe/", headers=bearer(secret)).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(client, owner, travel):
    start = travel(clock.now())
    token, secret = issue(owner)
    assert token.last_used_at is None

    client.get("/_token_probe/", headers=bearer(secret))
    first = db.session.get(ApiToken, token.id).last_used_at
    travel(start + timedelta(seconds=30))
    client.get("/_token_probe/", headers=bearer(secret))
    assert db.session.get(ApiToken, token.id).last_used_at == first
    travel(start + timedelta(seconds=61))
    client.get("/_token_probe/", headers=bearer(secret))

    assert db.session.get(ApiToken, token.id).last_used_at > first


def test_a_token_over_its_rate_waits_and_others_do_not(
    app, client, owner, travel, monkeypatch
):
    monkeypatch.setitem(app.config, "API_TOKEN_RATE", 3)
    monkeypatch.setitem(app.config, "API_TOKEN_RATE_WINDOW", timedelta(minutes=1))
    start = travel(clock.now())
    _token, secret = issue(owner)
    _other, other_secret = issue(owner)

    statuses = [
        client.get("/_token_probe/", headers=bearer(secret)).status_code
        for _ in range(3)
    ]
    travel(start + timedelta(seconds=20))
    refused = client.get("/_token_probe/", headers=bearer(secret))

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "40"
    assert client.get("/_token_probe/", headers=bearer(other_secret)).status_code == 200
    travel(start + timedelta(seconds=61))
    assert client.get("/_token_probe/", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(owner):
    with pytest.raises(ValueError, match="name"):
        tokens.issue(owner, "  ", ["things:read"])
