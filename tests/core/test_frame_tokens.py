"""The form token on every page is kept per session secret (issue 19,
core.templating.csrf_token): with CSRF checked as in production, the kept token
is accepted like a new one, each session has its own, and signing in again
(a new secret) gives a new token while the old one is refused."""

import re

import sqlalchemy as sa

from core.db import db
from core.notifications import services as notifications
from core.notifications.models import Notification

PASSWORD = "et-langt-kodeord-til-token"



def token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.text)[1]


def sign_in(browser, user) -> None:
    page = browser.get("/log-ind")
    answer = browser.post(
        "/log-ind",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token(page)},
    )
    assert answer.status_code == 302


def unread(user) -> int:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def notify(user) -> None:
    notifications.notify(user, "Din tilmelding er godkendt", mail=False)
    db.session.commit()


def test_the_kept_token_is_accepted_and_each_session_has_its_own(
    checking_app, create_user
):
    person = create_user("employee", password=PASSWORD)
    other = create_user("employee", password=PASSWORD, email="kollega@jobcenter.dk")
    browser, colleague = checking_app.test_client(), checking_app.test_client()
    sign_in(browser, person)
    sign_in(colleague, other)
    first = token(browser.get("/"))
    # Not compared with the next page's token: a page whose own form signs a
    # token carries the second it was signed in, so the two differ when a
    # second has passed. Both are accepted; the POST below uses the first.
    browser.get("/adgangskode")
    assert token(colleague.get("/")) != first

    notify(person)
    answer = browser.post("/notifikationer/alle-laest", data={"csrf_token": first})
    assert answer.status_code == 302
    assert unread(person) == 0


def test_signing_in_again_gives_a_new_token_and_refuses_the_old(
    checking_app, create_user
):
    person = create_user("employee", password=PASSWORD)
    browser = checking_app.test_client()
    sign_in(browser, person)
    old = token(browser.get("/"))
    browser.post("/log-ud", data={"csrf_token": old})
    sign_in(browser, person)
    new = token(browser.get("/"))
    assert new != old

    notify(person)
    browser.post("/notifikationer/alle-laest", data={"csrf_token": old})
    assert unread(person) == 1
    browser.post("/notifikationer/alle-laest", data={"csrf_token": new})
    assert unread(person) == 0
