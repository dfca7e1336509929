"""In Chromium: an employee books a paid session, the manager approves it from the
inbox, the employee sees it confirmed, downloads the .ics and finds it in the
personal feed; a second employee on the waiting list is offered the seat when the
first cancels, and accepts it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting
from tests.dates import today
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
TITLE = "Motiverende samtale for jobkonsulenter (e2e)"


def demo_email(key: str) -> str:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)["email"]


def _sunday_evening() -> datetime:
    # A Sunday evening far ahead: no demo session or booking can clash with it.
    day = today() + timedelta(days=200)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


@pytest.fixture
def paid_session(live_server):
    with live_server.app.app_context():
        provider = Provider(key="e2e-bookings", name="COK (e2e)", kind=ProviderKind.cok)
        course = Course(
            provider=provider,
            title=TITLE,
            price_state=Decimal(2500),
            price_municipal=Decimal(2500),
        )
        start = _sunday_evening()
        cs = CourseSession(
            course=course,
            capacity=1,
            location="Kursuscenter Fyn",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
        )
        cs.meetings.append(
            Meeting(
                starts_at=start, ends_at=start + timedelta(hours=3), place="Lokale 2"
            )
        )
        db.session.add_all([provider, course, cs])
        db.session.commit()
        return course.id


def _person(browser, live_server, key: str):
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo_email(key), DEMO_PASSWORD)
    return page


def _status(page) -> str:
    return page.get_by_role("status").first.inner_text()


def _book_and_get_approved(employee, manager, course_id: int, name: str) -> None:
    employee.goto(f"/kurser/{course_id}")
    employee.get_by_role(
        "button", name="Tilmeld (kræver din leders godkendelse)"
    ).click()
    assert "sendt til din leder" in _status(employee)
    manager.goto("/tilmeldinger/godkendelser")
    card = manager.locator(".booking-card", has_text=name).filter(has_text=TITLE)
    assert "2.500,00 kr." in card.inner_text()
    card.get_by_role("button", name="Godkend").click()
    assert "Tilmeldingen er nu" in _status(manager)


def test_paid_booking_approval_calendar_and_waiting_list(
    browser, live_server, paid_session, tmp_path
):
    first = _person(browser, live_server, "employee")
    manager = _person(browser, live_server, "manager")
    _book_and_get_approved(first, manager, paid_session, "Mette Nielsen")

    first.goto("/tilmeldinger/")
    upcoming = first.locator(
        "section", has=first.get_by_role("heading", name="Kommende")
    )
    assert TITLE in upcoming.inner_text()
    with first.expect_download() as download_info:
        upcoming.get_by_role("link", name="Føj til kalender (.ics)").click()
    ics = download_info.value.path().read_text()
    assert "BEGIN:VEVENT" in ics
    assert "Motiverende samtale" in ics

    first.goto("/kalender/")
    first.get_by_role("button", name="Lav et kalenderlink").click()
    feed_path = urlsplit(first.locator("#https-link").input_value()).path
    feed = first.request.get(feed_path)
    assert feed.ok
    assert "Motiverende samtale" in feed.text()

    second = _person(browser, live_server, "birgitte-lund")
    _book_and_get_approved(second, manager, paid_session, "Birgitte Lund")
    second.goto("/tilmeldinger/")
    assert "Nummer 1 på ventelisten." in second.locator("main").inner_text()

    first.goto("/tilmeldinger/")
    first.get_by_role("button", name="Afmeld").click()
    first.get_by_role("dialog").get_by_role("button", name="Ja, afmeld mig").click()
    assert "afmeldt" in _status(first)

    second.goto("/tilmeldinger/")
    offers = second.locator(
        "section", has=second.get_by_role("heading", name="Pladser, du får tilbudt")
    )
    assert TITLE in offers.inner_text()
    assert "Pladsen er holdt til dig indtil" in offers.inner_text()
    offers.get_by_role("button", name="Tag imod pladsen").click()
    assert "Tilmeldingen er nu bekræftet" in _status(second)
    upcoming = second.locator(
        "section", has=second.get_by_role("heading", name="Kommende")
    )
    assert TITLE in upcoming.inner_text()
