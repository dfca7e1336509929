"""With password sign-in switched off (PASSWORD_LOGIN), no page lets anyone
choose, reset or change a password: no links to them, a Danish 403 on each,
no e-mail sent, nothing written, and links sent before the switch stop working."""

import re

import pytest
import sqlalchemy as sa

from core.db import db
from core.notifications.models import OutboxMail
from core.people.models import PasswordToken, User

NEW_PASSWORD = "en helt ny adgangskode"
OFF = "Adgangskoder er slået fra her"


@pytest.fixture
def passwords_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", False)


def _mail_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(OutboxMail.id)))


def _token_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(PasswordToken.id)))


def _link_path(mail: OutboxMail) -> str:
    return re.search(r"https?://[^/\s]+(/adgangskode/ny/\S+)", mail.body).group(1)


def test_no_page_links_to_a_password(app, client, login_as):
    login_as("employee")
    assert 'href="/adgangskode"' in client.get("/").text  # the menu, kept
    app.config["PASSWORD_LOGIN"] = False
    try:
        _no_password_links(client, login_as)
    finally:
        app.config["PASSWORD_LOGIN"] = True


def _no_password_links(client, login_as):
    client.post("/log-ud")
    assert "/adgangskode" not in client.get("/log-ind").text
    login_as("employee")
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "/adgangskode" not in dashboard.text


def test_the_pages_link_to_passwords_while_they_are_on(client, login_as):
    assert "/adgangskode/glemt" in client.get("/log-ind").text
    login_as("employee")
    assert 'href="/adgangskode"' in client.get("/").text


def test_the_forgotten_password_page_is_refused_and_mails_nothing(
    client, create_user, passwords_off
):
    create_user(email="glemsom@jobcenter.demo.dk", password="den gamle adgangskode")
    page = client.get("/adgangskode/glemt")
    assert page.status_code == 403
    assert OFF in page.text
    assert 'name="email"' not in page.text
    sent = client.post(
        "/adgangskode/glemt", data={"email": "glemsom@jobcenter.demo.dk"}
    )
    assert sent.status_code == 403
    assert OFF in sent.text
    assert _mail_count() == 0
    assert _token_count() == 0


def test_a_link_sent_before_the_switch_no_longer_sets_a_password(
    app, client, create_user
):
    person = create_user(email="inviteret@jobcenter.demo.dk")
    client.post("/adgangskode/glemt", data={"email": "inviteret@jobcenter.demo.dk"})
    [mail] = db.session.scalars(sa.select(OutboxMail))
    path = _link_path(mail)
    app.config["PASSWORD_LOGIN"] = False
    try:
        page = client.get(path)
        assert page.status_code == 403
        assert OFF in page.text
        assert 'name="new"' not in page.text
        used = client.post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
        assert used.status_code == 403
        db.session.expire_all()
        assert db.session.get(User, person.id).password_hash == ""
    finally:
        app.config["PASSWORD_LOGIN"] = True
    assert client.get(path).status_code == 200  # unused: works again if switched on


def test_the_change_password_page_is_refused(client, login_as, passwords_off):
    person = login_as("employee", password="den gamle adgangskode")
    before = person.password_hash
    page = client.get("/adgangskode")
    assert page.status_code == 403
    assert OFF in page.text
    assert 'name="current"' not in page.text
    changed = client.post(
        "/adgangskode",
        data={
            "current": "den gamle adgangskode",
            "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, person.id).password_hash == before


def test_an_admin_creates_an_account_without_a_password_mail(
    client, login_as, passwords_off
):
    login_as("admin")
    form = client.get("/admin/brugere/ny")
    assert "link til at vælge" not in form.text
    assert "logger ind med sin organisations konto" in form.text
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Ny Kollega",
            "email": "ny.kollega@jobcenter.demo.dk",
            "roles": ["employee"],
            "employer_kind": "municipal",
            "team_id": 0,
            "active": "y",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Kontoen er oprettet. Personen logger ind med sin organisations konto." in (
        response.text
    )
    assert db.session.scalar(sa.select(User).where(User.name == "Ny Kollega"))
    assert _mail_count() == 0
    assert _token_count() == 0


def test_an_admin_cannot_send_a_password_link(
    client, login_as, create_user, passwords_off
):
    person = create_user(email="kollega@jobcenter.demo.dk")
    login_as("admin")
    page = client.get(f"/admin/brugere/{person.id}").text
    assert f"/admin/brugere/{person.id}/invitation" not in page
    assert "Send et link til at vælge adgangskode" not in page
    response = client.post(f"/admin/brugere/{person.id}/invitation")
    assert response.status_code == 403
    assert OFF in response.text
    assert _mail_count() == 0
    assert _token_count() == 0
