"""In Chromium: a provider uploads an .ics file, sees the preview, imports it, and
the new session shows on the course's page; the provider feed lists it."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from courses.calendars.services import meeting_uid
from courses.catalogue.models import Course, Provider, ProviderMember
from tests.courses.calendars.icsfiles import calendar, cph, event
from tests.dates import danish, ics, working_day
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
TITLE = "Kalenderimport for jobkonsulenter (e2e)"


def provider_login() -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == "provider")


@pytest.fixture
def provider_course(live_server):
    person = provider_login()
    with live_server.app.app_context():
        provider = db.session.scalar(
            sa.select(Provider).where(Provider.key == person["provider"])
        )
        assert db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ProviderMember)
            .where(ProviderMember.provider_id == provider.id)
        )
        course = Course(provider=provider, title=TITLE)
        course.refresh_search_text()
        db.session.add(course)
        db.session.commit()
        yield provider.id, course.id
        db.session.rollback()


def test_provider_imports_an_ics_and_the_session_appears(
    page, live_server, provider_course
):
    provider_id, course_id = provider_course
    day = working_day(40)
    data = calendar(
        event(
            "e2e-import-1@udbyder.example",
            cph(f"{ics(day)}T090000"),
            cph(f"{ics(day)}T120000"),
            TITLE,
            location=":Kursuscenter Vejle",
            x_capacity=":14",
            categories=":Samtale",
        ),
    )
    sign_in(page, provider_login()["email"], DEMO_PASSWORD)

    page.goto(f"/udbyder/{provider_id}/kalender")
    page.get_by_label("Kalenderfil (.ics)").set_input_files(
        files=[{"name": "hold.ics", "mimeType": "text/calendar", "buffer": data}]
    )
    page.get_by_role("button", name="Vis, hvad filen vil ændre").click()

    page.get_by_role("heading", name="Forhåndsvisning af importen").wait_for()
    assert violations(page) == []  # WCAG 2.1 AA (axe-core)
    expect(page.get_by_text("Hold, der oprettes: 1")).to_be_visible()
    # Grouped by the file's category; the course is suggested by its title.
    assert page.get_by_label(
        "kategori (begivenheder uden kategori: titel)"
    ).is_checked()
    assert page.get_by_label("Kursus").input_value() == str(course_id)
    page.get_by_role("button", name="Importér", exact=True).click()

    page.get_by_text("Kalenderen er importeret: 1 nye").wait_for()
    page.goto(f"/kurser/{course_id}")
    expect(page.get_by_role("heading", name=danish(day))).to_be_visible()
    expect(page.get_by_text("09:00–12:00")).to_be_visible()
    expect(page.get_by_text("Kursuscenter Vejle").first).to_be_visible()

    feed = page.request.get(f"/kalender/udbyder/{provider_id}.ics")
    assert feed.ok
    with live_server.app.app_context():
        meeting_id = db.session.scalar(
            sa.text(
                "SELECT meetings.id FROM meetings JOIN course_sessions ON "
                "course_sessions.id = meetings.course_session_id "
                "WHERE course_sessions.provider_uid = :uid"
            ),
            {"uid": "e2e-import-1@udbyder.example"},
        )
        assert meeting_uid(meeting_id).encode() in feed.body()
