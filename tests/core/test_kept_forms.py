"""A form whose CSRF token or sign-in ran out comes back with what was typed
(issue 15), over HTTP with CSRF checked as in production: the self-assessment
with 45 answers and comments (more than a cookie holds), a page of the test's
own with a file and a password, signed in, signed out and signed back in, and
another person on the same browser."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_wtf.file import FileField
from wtforms import PasswordField, TextAreaField

from core.db import db
from core.forms import BaseForm
from core.kept_form_views import KEY_ARG
from core.kept_forms import KeptForm
from core.people import services as people
from learning.assessments.models import Rating
from learning.competences import services as framework
from learning.competences.models import CompetenceKind, Layer

PASSWORD = "et-langt-kodeord-til-test"
NOTICE = "Siden var udløbet; dine svar er gemt — tjek dem og gem igen"
COMPETENCES = 45


class NoteForm(BaseForm):
    note = TextAreaField("Notat")
    attachment = FileField("Bilag")
    code = PasswordField("Kode")


def _note_page():
    """A page of the test's own: any BaseForm on any page is kept the same way."""
    form = NoteForm()
    if form.validate_on_submit():
        return "saved: " + form.note.data
    return render_template_string(
        "{% extends 'base.html' %}{% block content %}"
        '<form method="post" enctype="multipart/form-data">{{ form.csrf_token }}'
        "{{ form.note.label }}{{ form.note() }}{{ form.code.label }}{{ form.code() }}"
        "</form>{% endblock %}",
        form=form,
    )


@pytest.fixture(scope="module")
def checking_app(checking_app):
    """The shared CSRF-checking app, with a page of our own to post to."""
    checking_app.add_url_rule(
        "/test/notat", "note", _note_page, methods=["GET", "POST"]
    )
    return checking_app


@pytest.fixture
def browser(checking_app):
    return checking_app.test_client()


@pytest.fixture
def person(create_user):
    return create_user("employee", password=PASSWORD)


def signed_in(browser, user) -> None:
    """A browser signed in through the real form."""
    page = browser.get("/log-ind")
    browser.post(
        "/log-ind",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token(page)},
    )


def token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.text)[1]


def sign_out(browser) -> None:
    browser.post("/log-ud", data={"csrf_token": token(browser.get("/"))})


@pytest.fixture
def big_area(app):
    """One area of 45 competences, all in the basic profile everyone has."""
    framework.get_scale()
    area = framework.save_area(None, None, code="BIG", title="Borgerkontakt")
    competences = [
        framework.save_competence(
            None,
            None,
            code=f"BK-{n:02d}",
            title=f"Kompetence {n}",
            kind=CompetenceKind.action,
            layer=Layer.basic,
            area=area,
        )
        for n in range(1, COMPETENCES + 1)
    ]
    basic = framework.save_profile(None, None, key="basic", title="Grund", basic=True)
    framework.set_requirements(None, basic, {c.id: (3, 2) for c in competences})
    db.session.commit()
    return area, competences


def answers(competences, csrf: str) -> dict:
    """A level for every competence and a long comment (æøå) with each."""
    data = {"csrf_token": csrf}
    for n, c in enumerate(competences):
        data[f"level_{c.id}"] = str(n % 5)
        data[f"comment_{c.id}"] = f"Svar {n}: æøå " + "x" * 200
    return data


def shows_every_answer(page: str, competences) -> bool:
    for n, c in enumerate(competences):
        checked = re.search(
            rf'<input[^>]*name="level_{c.id}"[^>]*value="{n % 5}"[^>]*>', page
        )
        if not checked or "checked" not in checked[0]:
            return False
        if f"Svar {n}: æøå " + "x" * 200 not in page:
            return False
    return True


def assessment_url(user, area) -> str:
    return f"/kompetencer/vurdering/personer/{user.id}/selv?omraade={area.id}"


def test_signed_in_with_a_token_that_ran_out_every_answer_comes_back(
    browser, person, big_area
):
    area, competences = big_area
    signed_in(browser, person)
    url = assessment_url(person, area)
    stale = token(browser.get(url))
    # Signing in again in another tab gives the browser a new CSRF secret.
    sign_out(browser)
    signed_in(browser, person)

    refused = browser.post(url, data=answers(competences, stale))

    assert refused.status_code == 400
    assert NOTICE in refused.text
    assert shows_every_answer(refused.text, competences)
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(KeptForm.id))) == 0
    saved = browser.post(url, data=answers(competences, token(refused)))
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == COMPETENCES


def test_signed_out_mid_form_the_answers_come_back_after_signing_in(
    browser, person, big_area
):
    area, competences = big_area
    signed_in(browser, person)
    url = assessment_url(person, area)
    stale = token(browser.get(url))
    sign_out(browser)

    refused = browser.post(url, data=answers(competences, stale))

    assert refused.status_code == 303
    assert refused.location.startswith("/log-ind?next=")
    login_page = browser.get(refused.location)
    assert "Log ind igen, så kommer siden tilbage med dine svar" in login_page.text
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0
    back = browser.post(
        refused.location,
        data={
            "email": person.email,
            "password": PASSWORD,
            "csrf_token": token(login_page),
        },
    )
    assert KEY_ARG in back.location
    page = browser.get(back.location)
    assert page.status_code == 200
    assert NOTICE in page.text
    assert shows_every_answer(page.text, competences)
    saved = browser.post(url, data=answers(competences, token(page)))
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == COMPETENCES


def test_another_person_signing_in_on_the_same_browser_does_not_get_them(
    browser, person, create_user
):
    other = create_user("employee", password=PASSWORD)
    signed_in(browser, person)
    stale = token(browser.get("/test/notat"))
    sign_out(browser)
    refused = browser.post(
        "/test/notat", data={"note": "Personens eget notat", "csrf_token": stale}
    )
    login_page = browser.get(refused.location)

    back = browser.post(
        refused.location,
        data={
            "email": other.email,
            "password": PASSWORD,
            "csrf_token": token(login_page),
        },
    )
    page = browser.get(back.location)

    assert page.status_code == 200
    assert "Personens eget notat" not in page.text
    assert NOTICE not in page.text


def test_a_page_made_for_someone_else_is_not_filled_in_for_who_is_signed_in_now(
    browser, person, create_user
):
    other = create_user("employee", password=PASSWORD)
    signed_in(browser, person)
    stale = token(browser.get("/test/notat"))
    sign_out(browser)
    signed_in(browser, other)

    refused = browser.post(
        "/test/notat", data={"note": "Personens eget notat", "csrf_token": stale}
    )

    assert refused.status_code == 400
    assert "Personens eget notat" not in refused.text
    assert db.session.scalar(sa.select(sa.func.count(KeptForm.id))) == 0


def test_files_are_not_kept_and_the_page_says_so(browser, person):
    from io import BytesIO

    signed_in(browser, person)
    browser.get("/test/notat")
    refused = browser.post(
        "/test/notat",
        data={
            "note": "Med bilag",
            "attachment": (BytesIO(b"indhold"), "bilag.pdf"),
            "csrf_token": "forfalsket",
        },
        content_type="multipart/form-data",
    )

    assert refused.status_code == 400
    assert "Med bilag" in refused.text
    assert "Filer kan ikke gemmes: vælg dem igen, før du gemmer." in refused.text


def test_a_password_is_never_kept(browser, person):
    signed_in(browser, person)
    stale = token(browser.get("/test/notat"))
    sign_out(browser)

    browser.post(
        "/test/notat",
        data={"note": "Notat", "code": "hemmelig-kode", "csrf_token": stale},
    )

    (kept,) = db.session.scalars(sa.select(KeptForm)).all()
    assert kept.user_id == person.id
    assert kept.fields == [["note", "Notat"]]


def test_kept_answers_last_an_hour(browser, person, travel):
    from core.clock import now

    signed_in(browser, person)
    stale = token(browser.get("/test/notat"))
    sign_out(browser)
    refused = browser.post(
        "/test/notat", data={"note": "Et gammelt notat", "csrf_token": stale}
    )
    travel(now() + timedelta(hours=1, minutes=1))
    login_page = browser.get(refused.location)
    back = browser.post(
        refused.location,
        data={
            "email": person.email,
            "password": PASSWORD,
            "csrf_token": token(login_page),
        },
    )

    page = browser.get(back.location)

    assert "Et gammelt notat" not in page.text


def test_a_refused_post_without_a_person_behind_it_is_refused_as_before(browser):
    refused = browser.post("/test/notat", data={"note": "Hvem?"})

    assert refused.status_code == 400
    assert "Hvem?" not in refused.text
    assert db.session.scalar(sa.select(sa.func.count(KeptForm.id))) == 0


def test_signed_out_with_a_valid_token_the_answers_are_kept_too(
    browser, person, big_area
):
    """The sign-in ran out (or was ended on another device) while the browser
    kept its CSRF secret: the POST meets login_required, not the CSRF check."""
    area, competences = big_area
    signed_in(browser, person)
    url = assessment_url(person, area)
    fresh = token(browser.get(url))
    people.end_all_login_sessions(person)
    db.session.commit()

    refused = browser.post(url, data=answers(competences, fresh))

    assert refused.status_code == 303
    assert KEY_ARG in refused.location
    assert db.session.scalar(sa.select(sa.func.count(KeptForm.id))) == 1
