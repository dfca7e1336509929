"""In Chromium: the demo employee opens "Forslag til dig", sees ranked sessions
with their reasons and books one in one step; her manager sees the team view."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting
from learning.competences.models import Competence
from tests.dates import today
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
CourseCompetence = pytest.importorskip("learning.matching.models").CourseCompetence
TITLE = "Virksomhedsservice i praksis (e2e)"


def demo_email(key: str) -> str:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)["email"]


def _far_sunday() -> datetime:
    # A Sunday far ahead: no demo session or booking can clash with it.
    day = today() + timedelta(days=230)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)


@pytest.fixture
def linked_session(live_server):
    """A free session whose course develops every competence to the top level,
    so it closes gaps for everybody in the team."""
    with live_server.app.app_context():
        if db.session.scalar(sa.select(Course.id).where(Course.title == TITLE)):
            return
        provider = Provider(key="e2e-matching", name="COK (e2e)", kind=ProviderKind.cok)
        course = Course(
            provider=provider,
            title=TITLE,
            price_state=Decimal(0),
            price_municipal=Decimal(0),
        )
        start = _far_sunday()
        cs = CourseSession(
            course=course,
            capacity=12,
            location="Kursuscenter Valby",
            starts_at=start,
            ends_at=start + timedelta(hours=7),
        )
        cs.meetings.append(
            Meeting(starts_at=start, ends_at=start + timedelta(hours=7), place="Sal 1")
        )
        db.session.add_all([provider, course, cs])
        db.session.flush()
        for competence_id in db.session.scalars(sa.select(Competence.id)):
            db.session.add(
                CourseCompetence(
                    course_id=course.id, competence_id=competence_id, level=4
                )
            )
        db.session.commit()


def _person(browser, live_server, key: str):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo_email(key), DEMO_PASSWORD)
    return page


def test_the_employee_books_a_suggestion_and_the_manager_sees_the_team(
    browser, live_server, linked_session
):
    manager = _person(browser, live_server, "manager")
    manager.goto("/forslag/team")
    team_row = manager.locator("table.team-suggestion", has_text=TITLE)
    assert "Gavner" in team_row.locator("caption").inner_text()
    assert "Mette Nielsen" in team_row.inner_text()
    assert "→" in team_row.inner_text()

    employee = _person(browser, live_server, "employee")
    employee.get_by_role("link", name="Forslag til dig").first.click()
    employee.get_by_role("heading", name="Forslag til dig").wait_for()
    suggestion = employee.locator("li.suggestion", has_text=TITLE)
    reason = suggestion.locator(".suggestion-reason").inner_text()
    assert reason.startswith("Dækker ")
    assert "kompetencegab" in reason
    assert "→" in reason
    assert "ledige pladser" in suggestion.inner_text()
    suggestion.get_by_role("button", name=f"Tilmeld dig {TITLE}").click()
    assert "Du er tilmeldt" in employee.get_by_role("status").first.inner_text()
    employee.goto("/forslag")
    assert employee.locator("li.suggestion", has_text=TITLE).count() == 0

    # Mette is booked; the others in the team are still served by the session.
    manager.goto("/forslag/team")
    team_row = manager.locator("table.team-suggestion", has_text=TITLE)
    assert "Mette Nielsen" not in team_row.inner_text()
