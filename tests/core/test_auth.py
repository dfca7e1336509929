"""Login, lockout, CSRF, safe redirects, logout and password changes over real HTTP."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import LoginAttempt, LoginSession, User
from wsgi import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def person(create_user) -> User:
    return create_user(
        "employee", email="Mette.Holm@Jobcenter.demo.dk", password=PASSWORD
    )


def post_login(client, email, password, **extra):
    return client.post("/log-ind", data={"email": email, "password": password, **extra})


def test_login_with_correct_password_reaches_the_dashboard(client, person):
    response = post_login(client, "mette.holm@jobcenter.demo.dk", PASSWORD)
    assert response.status_code == 302
    assert response.location == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "Velkommen, " + person.name in page.text


def test_email_is_matched_without_regard_to_case(client, person):
    assert (
        post_login(client, "METTE.HOLM@jobcenter.DEMO.dk", PASSWORD).status_code == 302
    )


def test_wrong_password_is_refused_in_danish_and_keeps_the_email(client, person):
    response = post_login(client, person.email, "wrong password")
    assert response.status_code == 401
    # Shown once: form-level errors used to appear twice in the error summary.
    assert response.text.count("E-mailadressen eller adgangskoden er forkert.") == 1
    assert 'value="mette.holm@jobcenter.demo.dk"' in response.text
    assert client.get("/").status_code == 302


def test_missing_fields_are_named_at_the_field(client):
    response = client.post("/log-ind", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert response.text.count("form-error-message") == 2


def test_unknown_account_gets_the_same_message_as_a_wrong_password(client):
    response = post_login(client, "nobody@jobcenter.demo.dk", "whatever-password")
    assert response.status_code == 401
    assert "E-mailadressen eller adgangskoden er forkert." in response.text


def test_inactive_account_cannot_sign_in(client, person):
    person.active = False
    db.session.commit()
    assert post_login(client, person.email, PASSWORD).status_code == 401


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(
    client, person, app
):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert post_login(client, person.email, "wrong password").status_code == 401
    response = post_login(client, person.email, PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.text
    assert client.get("/").status_code == 302


def test_address_is_locked_after_failures_across_accounts(client, app, create_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for n in range(3):
            post_login(client, f"guess{n}@jobcenter.demo.dk", "wrong password")
        other = create_user(email="other@jobcenter.demo.dk", password=PASSWORD)
        assert post_login(client, other.email, PASSWORD).status_code == 429
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_lock_is_checked_before_the_password_hash(client, person, app, monkeypatch):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        post_login(client, person.email, "wrong password")
    checked = []
    monkeypatch.setattr(User, "check_password", lambda self, pw: checked.append(pw))
    assert post_login(client, person.email, PASSWORD).status_code == 429
    assert checked == []


def test_success_clears_the_failures_of_the_account(client, person):
    post_login(client, person.email, "wrong password")
    post_login(client, person.email, PASSWORD)
    count = db.session.scalar(
        sa.select(sa.func.count(LoginAttempt.id)).where(
            LoginAttempt.email == person.email
        )
    )
    assert count == 0


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_next_pointing_off_site_is_ignored(client, person, target):
    response = client.post(
        "/log-ind",
        query_string={"next": target},
        data={"email": person.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert (
        response.location in ("/", target)
        and response.location == "/"
        or (response.location.startswith("/") and "evil" not in response.location)
    )
    assert "evil" not in response.location


def test_next_to_a_local_page_is_followed(client, person):
    response = client.post(
        "/log-ind",
        query_string={"next": "/adgangskode"},
        data={"email": person.email, "password": PASSWORD},
    )
    assert response.location == "/adgangskode"


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/adgangskode")
    assert response.status_code == 302
    assert response.location.startswith("/log-ind?next=")


def test_logout_invalidates_the_old_session_cookie(client, person):
    post_login(client, person.email, PASSWORD)
    stolen = client.get_cookie("session").value
    assert client.post("/log-ud").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0
    client.set_cookie("session", stolen)
    assert client.get("/").status_code == 302


def test_password_change_signs_out_other_browsers(app, person):
    first, second = app.test_client(), app.test_client()
    post_login(first, person.email, PASSWORD)
    post_login(second, person.email, PASSWORD)
    response = first.post(
        "/adgangskode",
        data={
            "current": PASSWORD,
            "new": "a new long password",
            "repeat": "a new long password",
        },
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(client, person):
    post_login(client, person.email, PASSWORD)
    response = client.post(
        "/adgangskode",
        data={
            "current": "wrong",
            "new": "a new long password",
            "repeat": "a new long password",
        },
    )
    assert response.status_code == 200
    assert "Den nuværende adgangskode er forkert." in response.text
    assert db.session.get(User, person.id).check_password(PASSWORD)


def test_remember_me_lasts_fourteen_days(client, person):
    response = post_login(client, person.email, PASSWORD, remember="y")
    cookie = client.get_cookie("remember_token")
    assert response.status_code == 302
    assert cookie is not None
    row = db.session.scalar(sa.select(LoginSession))
    lifetime = row.expires_at - row.created_at
    assert 13.9 < lifetime.total_seconds() / 86400 <= 14


def test_form_posted_without_csrf_token_is_rejected(tmp_path, create_user):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'csrf.sqlite3'}",
            "SECRET_KEY": "csrf-test-secret-key-long-enough-for-this",
        }
    )
    with app.app_context():
        db.create_all()
        client = app.test_client()
        response = client.post("/log-ind", data={"email": "a@b.dk", "password": "x"})
        assert response.status_code == 400
        assert "Formularen er udløbet" in response.text
        db.engine.dispose()


def test_session_cookie_flags(client, person):
    post_login(client, person.email, PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_language_switch_to_english_and_back(client, person):
    post_login(client, person.email, PASSWORD)
    client.post("/sprog/en", data={"next": "/"})
    assert "Welcome, " in client.get("/").text
    client.post("/sprog/da", data={"next": "/"})
    assert "Velkommen, " in client.get("/").text


def test_language_switch_refuses_an_off_site_next(client):
    response = client.post("/sprog/en", data={"next": "//evil.example/"})
    assert "evil" not in response.location


def test_a_request_that_needs_no_user_does_not_load_one(
    client, login_as, count_queries
):
    login_as("employee")
    with count_queries() as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert queries == ["SELECT 1"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_signed_in_user_and_roles_load_in_one_query(
    client, login_as, count_queries
):
    login_as("employee")
    with count_queries() as queries:
        assert client.get("/adgangskode").status_code == 200
    assert not any("user_roles" in q and "login_sessions" not in q for q in queries)


def test_a_nul_byte_in_the_query_string_is_a_danish_400(client, login_as):
    login_as("admin")
    response = client.get("/admin/brugere", query_string={"q": "a\x00b"})
    assert response.status_code == 400
    assert "Adressen indeholder et tegn, der ikke er tilladt." in response.text


def test_a_managers_page_asks_once_which_teams_they_lead(
    client, login_as, count_queries
):
    login_as("manager")
    with count_queries() as queries:
        assert client.get("/adgangskode").status_code == 200
    assert sum("FROM org_units" in q for q in queries) == 1
