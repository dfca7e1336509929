"""In Chromium, with the keyboard alone (issue 18): a person signs in, assesses
themselves, books a session and starts a development plan without ever using the
mouse. Every step moves focus with Tab and acts with Enter, Space or the arrow
keys, as a person who cannot use a mouse would."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.db import db
from core.people import services as people
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import Role, User
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting
from tests.dates import today

pytestmark = pytest.mark.e2e
EMAIL = "tastatur@jobcenter.demo.dk"
COURSE = "Samtaler med unge ledige (tastatur)"


def tab_to(page, target, *, backwards: bool = False, limit: int = 400) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


@pytest.fixture
def newcomer(live_server):
    """A new colleague in the demo employee's team, and a free session far ahead
    (a Saturday, so nothing of the demo clashes with it)."""
    employee = next(p for p in load_demo_data()["people"] if p["key"] == "employee")
    with live_server.app.app_context():
        if db.session.scalar(sa.select(User).where(User.email == EMAIL)) is None:
            team = db.session.scalar(
                sa.select(User).where(User.email == employee["email"])
            ).team
            people.create_user(
                None,
                email=EMAIL,
                name="Karla Tastatur",
                password=DEMO_PASSWORD,
                roles={Role.employee},
                team=team,
            )
        day = today() + timedelta(days=230)
        day += timedelta(days=(5 - day.weekday()) % 7)
        start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        provider = Provider(
            key="tastatur", name="Tastaturskolen", kind=ProviderKind.cok
        )
        course = Course(
            provider=provider, title=COURSE, price_state=Decimal(0), price_municipal=0
        )
        session = CourseSession(
            course=course,
            capacity=10,
            location="Odense",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
        session.meetings.append(
            Meeting(starts_at=start, ends_at=start + timedelta(hours=6), place="Sal 1")
        )
        db.session.add_all([provider, course, session])
        db.session.commit()
        return course.id


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page):
    page.goto("/log-ind")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indhold")
    assert skip.evaluate("element => element === document.activeElement")
    expect(skip).to_be_visible()  # shown when focused, for sighted keyboard users
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")


def test_sign_in_assess_book_and_plan_with_the_keyboard_alone(page, newcomer):
    page.goto("/log-ind")
    tab_to(page, page.get_by_label("E-mail"))
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Karla Tastatur" in page.locator("h1").inner_text()

    # The self-assessment: one level chosen with the arrow keys, saved with Enter.
    page.goto("/kompetencer/vurdering/selv")
    first_group = page.locator("fieldset").filter(has=page.locator(".form-radio"))
    first = first_group.first.locator("input[type=radio]").first
    tab_to(page, first)
    page.keyboard.press("ArrowDown")
    chosen = first_group.first.locator("input[type=radio]:checked")
    assert chosen.count() == 1
    tab_to(page, page.get_by_role("button", name="Gem afsnittet og gå videre"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "1 af " in page.get_by_role("status").first.inner_text()

    # Booking a free session from the course page.
    page.goto(f"/kurser/{newcomer}")
    book = page.get_by_role("button", name="Tilmeld")
    tab_to(page, book.first)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "tilmeldt" in page.get_by_role("status").first.inner_text().lower()

    # A development plan, with a goal in words behind a closed <details>.
    page.goto("/planer")
    tab_to(page, page.get_by_role("button", name="Opret planen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("summary", has_text="mål").first
    tab_to(page, summary)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Mål med ord"))
    page.keyboard.type("Blive tryg i samtaler med unge")
    tab_to(page, page.get_by_role("button", name="Tilføj målet"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Blive tryg i samtaler med unge" in page.locator("main").inner_text()


def test_a_form_with_errors_puts_the_focus_on_its_error_summary(page):
    page.goto("/log-ind")
    tab_to(page, page.get_by_role("button", name="Log ind"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.evaluate("element => element === document.activeElement")
    # From the summary, Tab reaches the link to the first field in error.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#email"
