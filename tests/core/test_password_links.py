"""Passwords by e-mail over real HTTP: an administrator's invitation, anyone's
reset, each link single-use and time-limited (only its hash stored), the same
answer whether an address has an account or not, and a limit on requests."""

import re
from datetime import timedelta

import sqlalchemy as sa

from core.clock import now
from core.db import db
from core.notifications.models import OutboxMail
from core.people.models import PasswordToken, User

NEW_PASSWORD = "en helt ny adgangskode"


def _mails_to(address: str) -> list[OutboxMail]:
    return list(
        db.session.scalars(
            sa.select(OutboxMail)
            .where(OutboxMail.to_address == address)
            .order_by(OutboxMail.id)
        )
    )


def _link_path(mail: OutboxMail) -> str:
    return re.search(r"https?://[^/\s]+(/adgangskode/ny/\S+)", mail.body).group(1)


def _choose(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"new": password, "repeat": password})


def _sign_in(client, email: str, password: str = NEW_PASSWORD):
    return client.post("/log-ind", data={"email": email, "password": password})


def test_a_new_person_is_invited_by_mail_and_chooses_a_password(
    app, client, login_as, create_unit
):
    login_as("admin")
    form = client.get("/admin/brugere/ny").text
    assert 'type="password"' not in form  # admins never type others' passwords
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Ny Kollega",
            "email": "ny.kollega@jobcenter.demo.dk",
            "roles": ["employee"],
            "employer_kind": "municipal",
            "team_id": 0,
            "active": "y",
            "password": "typed-by-the-admin",
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(sa.select(User).where(User.name == "Ny Kollega"))
    assert person.password_hash == ""  # what the admin typed is not a password
    [mail] = _mails_to("ny.kollega@jobcenter.demo.dk")
    assert mail.subject == "Din konto på Kompetence og kurser"
    path = _link_path(mail)
    token = path.rsplit("/", 1)[1]
    assert (
        db.session.scalar(
            sa.select(sa.func.count(PasswordToken.id)).where(
                PasswordToken.token_hash == token
            )
        )
        == 0
    )  # only a hash is stored

    client.post("/log-ud")
    assert "Vælg din adgangskode" in client.get(path).text
    assert _choose(client, path).status_code == 302
    assert _sign_in(client, "ny.kollega@jobcenter.demo.dk").status_code == 302
    client.post("/log-ud")
    again = _choose(client, path, "en anden adgangskode")
    assert again.status_code == 410  # single use
    assert "Linket virker ikke længere" in again.text


def test_the_admin_page_sends_a_new_link_and_the_old_one_stops_working(
    client, login_as, create_user
):
    person = create_user(email="glemsom@jobcenter.demo.dk")
    login_as("admin")
    page = client.get(f"/admin/brugere/{person.id}").text
    assert 'type="password"' not in page
    for _round in range(2):
        response = client.post(f"/admin/brugere/{person.id}/invitation")
        assert response.status_code == 302
    first, second = _mails_to("glemsom@jobcenter.demo.dk")
    assert client.get(_link_path(first)).status_code == 410
    assert client.get(_link_path(second)).status_code == 200


def test_a_reset_gives_the_same_answer_whether_the_address_exists(client, create_user):
    create_user(email="kendt@jobcenter.demo.dk", password="den gamle adgangskode")
    answers = []
    for address in ("kendt@jobcenter.demo.dk", "ukendt@jobcenter.demo.dk"):
        response = client.post(
            "/adgangskode/glemt", data={"email": address}, follow_redirects=True
        )
        answers.append(
            (response.status_code, response.text.replace(address, "ADDRESS"))
        )
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "har vi sendt et link" in answers[0][1]
    assert _mails_to("ukendt@jobcenter.demo.dk") == []
    [mail] = _mails_to("kendt@jobcenter.demo.dk")
    path = _link_path(mail)
    assert _choose(client, path).status_code == 302
    assert _sign_in(client, "kendt@jobcenter.demo.dk").status_code == 302
    client.post("/log-ud")
    old = _sign_in(client, "kendt@jobcenter.demo.dk", "den gamle adgangskode")
    assert old.status_code == 401


def test_a_reset_link_stops_working_after_an_hour(client, create_user, travel):
    create_user(email="langsom@jobcenter.demo.dk")
    start = travel(now())
    client.post("/adgangskode/glemt", data={"email": "langsom@jobcenter.demo.dk"})
    path = _link_path(_mails_to("langsom@jobcenter.demo.dk")[0])
    travel(start + timedelta(minutes=59))
    assert client.get(path).status_code == 200
    travel(start + timedelta(minutes=61))
    assert client.get(path).status_code == 410
    assert _choose(client, path).status_code == 410


def test_a_made_up_link_is_refused_in_danish(client, app):
    response = client.get("/adgangskode/ny/made-up-token")
    assert response.status_code == 410
    assert "Bed om et nyt link" in response.text


def test_reset_requests_are_limited_for_known_and_unknown_addresses(
    client, create_user
):
    create_user(email="kendt@jobcenter.demo.dk")
    for address in ("kendt@jobcenter.demo.dk", "ukendt@jobcenter.demo.dk"):
        statuses = [
            client.post("/adgangskode/glemt", data={"email": address}).status_code
            for _ in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
    refused = client.post(
        "/adgangskode/glemt", data={"email": "kendt@jobcenter.demo.dk"}
    )
    assert "For mange anmodninger" in refused.text
    assert len(_mails_to("kendt@jobcenter.demo.dk")) == 3


def test_the_login_page_links_to_the_reset(client, app):
    assert "/adgangskode/glemt" in client.get("/log-ind").text


def test_password_mails_are_written_in_the_recipients_language(
    client, login_as, create_user
):
    person = create_user(email="english@jobcenter.demo.dk")
    person.language = "en"
    db.session.commit()
    # Asked from a Danish page, and sent by a Danish administrator.
    client.post("/adgangskode/glemt", data={"email": "english@jobcenter.demo.dk"})
    login_as("admin")
    client.post(f"/admin/brugere/{person.id}/invitation")
    reset, invitation = _mails_to("english@jobcenter.demo.dk")
    assert reset.subject == "Choose a new password"
    assert "The link works for 1 hour." in reset.body
    assert invitation.subject == "Your account on Kompetence og kurser"
    assert "Choose your password here:" in invitation.body
    assert "adgangskode" not in invitation.body.replace("/adgangskode/ny/", "")
