"""A course starts as a draft its provider previews and then publishes (issue 15):
until then no one else finds it, books it, is suggested it or sees it in a feed."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from courses.bookings.models import Booking
from courses.catalogue import services as catalogue
from courses.catalogue.models import Course, CourseStatus
from tests.courses.catalogue.factories import make_course, make_provider, make_session
from tests.learning import conftest as learning_fixtures
from tests.learning.matching import conftest as matching_fixtures

# The matching area's fixtures, for the suggestions: a consultant with gaps.
rate = learning_fixtures.rate
small_framework = learning_fixtures.small_framework
team = matching_fixtures.team
with_gaps = matching_fixtures.consultant
links = matching_fixtures.link

COURSE_FORM = {
    "title": "Kladdekursus i jobsøgning",
    "description": "Om jobsøgning med borgeren.",
    "category": "",
    "format": "online",
    "duration_days": "1",
    "audience": "both",
    "price_state": "0",
    "price_municipal": "1.500",
}


@pytest.fixture
def staff(login_as):
    return login_as("provider_staff")


def _draft(provider, **fields) -> Course:
    fields.setdefault("title", "Kladdekursus i jobsøgning")
    fields.setdefault("description", "Om jobsøgning med borgeren.")
    course = catalogue.create_course(None, provider, **fields)
    db.session.commit()
    return course


def test_a_new_course_is_a_draft_only_its_provider_sees(client, login_as, staff):
    provider = make_provider(staff)
    response = client.post(f"/udbyder/{provider.id}/kurser/nyt", data=COURSE_FORM)
    assert response.status_code == 302
    course = db.session.scalar(sa.select(Course))
    assert course.status is CourseStatus.draft
    page = client.get(f"/kurser/{course.id}").text
    assert "Kladde" in page
    assert "Kun jeres udbyders medarbejdere kan se kurset." in page
    assert f'href="/kurser/{course.id}/forhaandsvis"' in page
    assert "Kladdekursus" in client.get("/udbyder/").text

    login_as("employee")
    assert "Kladdekursus" not in client.get("/kurser/").text
    assert "Kladdekursus" not in client.get("/kurser/?q=kladdekursus").text
    assert client.get(f"/kurser/{course.id}").status_code == 404
    assert client.get(f"/kurser/{course.id}/forhaandsvis").status_code == 404


def test_the_preview_shows_the_page_without_the_providers_buttons(client, staff):
    course = _draft(make_provider(staff))
    page = client.get(f"/kurser/{course.id}/forhaandsvis").text
    assert "Forhåndsvisning: sådan ser andre kurset, når det er udgivet." in page
    assert "Om jobsøgning med borgeren." in page
    assert f"/kurser/{course.id}/rediger" not in page.split('id="course-draft"')[1]
    assert "Arkivér kursus" not in page
    assert f'action="/kurser/{course.id}/udgiv"' in page


def test_publishing_puts_the_course_in_the_catalogue_and_the_record(
    client, login_as, staff
):
    course = _draft(make_provider(staff))
    response = client.post(f"/kurser/{course.id}/udgiv")
    assert response.status_code == 302
    assert (
        "Kurset er offentliggjort i kataloget."
        in client.get(response.headers["Location"]).text
    )
    db.session.expire_all()
    assert db.session.get(Course, course.id).status is CourseStatus.published
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "course.publish")
    )
    assert event.actor_id == staff.id
    assert event.object_id == course.id
    login_as("employee")
    assert "Kladdekursus" in client.get("/kurser/?q=kladdekursus").text
    assert client.get(f"/kurser/{course.id}").status_code == 200


def test_publishing_needs_the_form_token(app, client, staff):
    course = _draft(make_provider(staff))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/kurser/{course.id}/udgiv").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert db.session.get(Course, course.id).status is CourseStatus.draft


def test_a_course_with_impossible_data_stays_a_draft_and_says_why(client, staff):
    course = _draft(make_provider(staff), description="   ")
    db.session.execute(
        sa.update(Course).where(Course.id == course.id).values(duration_days=5000)
    )
    db.session.commit()
    response = client.post(f"/kurser/{course.id}/udgiv")
    assert response.status_code == 409
    assert "Kurset kan ikke udgives endnu" in response.text
    assert "Beskriv kurset: folk vælger ud fra beskrivelsen." in response.text
    assert "Varigheden skal være mellem 0,5 og 1.000 dage." in response.text
    db.session.expire_all()
    assert db.session.get(Course, course.id).status is CourseStatus.draft
    assert not db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "course.publish")
    )


def test_a_drafts_session_cannot_be_booked_nor_found_in_the_feed(
    client, login_as, staff
):
    provider = make_provider(staff)
    course_session = make_session(_draft(provider, price_municipal=0), capacity=5)
    make_session(make_course(provider, title="Udgivet kursus"))
    feed = client.get(f"/kalender/udbyder/{provider.id}.ics").text
    assert "Udgivet kursus" in feed
    assert "Kladdekursus" not in feed
    assert f"/kurser/{course_session.course_id}" not in feed

    login_as("employee")
    response = client.post(f"/hold/{course_session.id}/tilmeld")
    assert response.status_code in (403, 404, 409)
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 0


def test_a_drafts_session_is_not_suggested_until_published(
    client, login_as, staff, request
):
    consultant = request.getfixturevalue("with_gaps")
    link = request.getfixturevalue("links")
    provider = make_provider(staff)
    course = link(_draft(provider, price_municipal=0), {"B-H1": 3})
    make_session(course)
    login_as(consultant)
    assert "Kladdekursus" not in client.get("/forslag").text
    catalogue.publish_course(None, course)
    db.session.commit()
    assert "Kladdekursus" in client.get("/forslag").text


def test_demo_courses_are_published(app):
    from courses.catalogue.demo import seed_catalogue

    seed_catalogue()
    db.session.commit()
    statuses = set(db.session.scalars(sa.select(Course.status)))
    assert statuses == {CourseStatus.published}


def test_no_one_declares_interest_in_a_draft(client, login_as):
    """A draft's page is 404 for those who may not edit it, and so is declaring
    interest in it by posting its id (the page offered no form, the route took it)."""
    from courses.bookings.models import CourseInterest

    course = make_course(make_provider())
    course.status = CourseStatus.draft
    db.session.commit()
    login_as("employee")

    response = client.post(f"/kurser/{course.id}/interesse")

    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(CourseInterest.id))) == 0
