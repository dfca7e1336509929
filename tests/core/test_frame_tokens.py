"""The form token on every page is kept per session secret (issue 19,
core.form_tokens): with CSRF checked as in production, the kept token is
accepted like a new one, each session has its own, a page with a form of its
own shows the same token as the layout's forms, and signing in again (a new
secret) gives a new token while the old one is refused."""

import re
from datetime import timedelta

import sqlalchemy as sa

from core.clock import now
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


def tokens(response) -> set[str]:
    return set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', response.text))


def test_a_page_with_a_form_of_its_own_shows_the_kept_token(
    checking_app, create_user, travel
):
    # A newly signed token carries the second it was signed in: a minute later
    # a page that signed its own would show a different one.
    start = travel(now().replace(tzinfo=None), tick=True)
    person = create_user("employee", password=PASSWORD)
    browser = checking_app.test_client()
    sign_in(browser, person)
    first = token(browser.get("/"))
    travel(start + timedelta(minutes=1), tick=True)
    page = browser.get("/adgangskode")
    assert 'name="current"' in page.text  # the page's own form
    assert tokens(page) == {first}

    answer = browser.post(
        "/adgangskode",
        data={
            "csrf_token": first,
            "current": PASSWORD,
            "new": "et-helt-nyt-kodeord-til-token",
            "repeat": "et-helt-nyt-kodeord-til-token",
        },
    )
    assert answer.status_code == 302
