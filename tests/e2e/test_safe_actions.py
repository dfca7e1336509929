"""In Chromium (issue 15, safe actions): "Afmeld" opens the design system's modal,
which holds the focus and gives it back; Escape closes it with nothing changed and
confirming cancels. "Aflys hold" without a reason is refused and cancels nothing."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
import sqlalchemy as sa

from core.db import db
from core.people import services as people
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import Role, User
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from tests.dates import today
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api").expect

EMAIL = "afmelder@jobcenter.demo.dk"
TITLE = "Sikre handlinger (e2e)"
_weeks = count()


def demo_person(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def _saturday(days_ahead: int) -> datetime:
    """09:00 on a Saturday far ahead: nothing of the demo clashes with it."""
    day = today() + timedelta(days=days_ahead)
    day += timedelta(days=(5 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


@pytest.fixture
def booked(live_server):
    """A session of the demo provider's, with a new colleague of the demo employee
    booked on it; yields the session's and the booking's ids."""
    employee, provider = demo_person("employee"), demo_person("provider")
    with live_server.app.app_context():
        person = db.session.scalar(sa.select(User).where(User.email == EMAIL))
        if person is None:
            team = db.session.scalar(
                sa.select(User).where(User.email == employee["email"])
            ).team
            person = people.create_user(
                None,
                email=EMAIL,
                name="Asger Afmelder",
                password=DEMO_PASSWORD,
                roles={Role.employee},
                team=team,
            )
        start = _saturday(240 + 7 * next(_weeks))
        course = Course(
            provider=db.session.scalar(
                sa.select(Provider).where(Provider.key == provider["provider"])
            ),
            title=TITLE,
        )
        course.refresh_search_text()
        cs = CourseSession(
            course=course,
            capacity=5,
            location="Kursuscenter Fyn",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
        cs.meetings.append(Meeting(starts_at=start, ends_at=cs.ends_at))
        db.session.add(cs)
        db.session.flush()
        booking = bookings.book(person, cs)
        db.session.commit()
        assert booking.status is BookingStatus.confirmed
        yield cs.id, booking.id


def _status_of(live_server, model, row_id: int):
    with live_server.app.app_context():
        return db.session.get(model, row_id).status


def _focused_inside(page, locator) -> bool:
    return locator.evaluate("element => element.contains(document.activeElement)")


def test_afmeld_asks_in_a_modal_escape_keeps_and_confirming_cancels(
    page, live_server, booked
):
    _, booking_id = booked
    sign_in(page, EMAIL, DEMO_PASSWORD)
    page.goto("/tilmeldinger/")
    opener = page.get_by_role("button", name=f"Afmeld {TITLE}")
    dialog = page.get_by_role("dialog", name="Vil du afmelde dig?")
    expect(dialog).to_be_hidden()

    opener.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Du opgiver din plads på Sikre handlinger (e2e)")
    assert _focused_inside(page, dialog)
    for _ in range(8):  # the focus stays in the dialog however far one tabs
        page.keyboard.press("Tab")
        assert _focused_inside(page, dialog)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    assert _status_of(live_server, Booking, booking_id) is BookingStatus.confirmed

    opener.press("Enter")  # the keyboard opens it as well
    expect(dialog).to_be_visible()
    dialog.get_by_label("Hvorfor? (frivilligt)").fill("Jeg skal til tandlæge")
    dialog.get_by_role("button", name="Ja, afmeld mig").click()
    expect(page.get_by_role("status").first).to_contain_text("afmeldt")
    assert _status_of(live_server, Booking, booking_id) is BookingStatus.cancelled


def test_without_javascript_afmeld_is_a_confirmation_page(browser, live_server, booked):
    _, booking_id = booked
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, EMAIL, DEMO_PASSWORD)
    page.goto("/tilmeldinger/")
    page.get_by_role("link", name=f"Afmeld {TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vil du afmelde dig?")
    assert _status_of(live_server, Booking, booking_id) is BookingStatus.confirmed
    page.get_by_role("button", name="Ja, afmeld mig").click()
    assert _status_of(live_server, Booking, booking_id) is BookingStatus.cancelled
    context.close()


def test_aflys_hold_without_a_reason_is_refused(page, live_server, booked):
    course_session_id, booking_id = booked
    sign_in(page, demo_person("provider")["email"], DEMO_PASSWORD)
    page.goto(f"/hold/{course_session_id}")
    page.get_by_role("button", name="Aflys hold").click()
    dialog = page.get_by_role("dialog", name="Vil du aflyse holdet?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 deltager har en plads.")
    dialog.get_by_role("button", name="Ja, aflys holdet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vil du aflyse holdet?")
    expect(page.locator("#reason-error")).to_contain_text(
        "Skriv begrundelsen for aflysningen: deltagerne får den."
    )
    assert _status_of(live_server, CourseSession, course_session_id) is (
        SessionStatus.open
    )
    assert _status_of(live_server, Booking, booking_id) is BookingStatus.confirmed

    page.get_by_label("Begrundelse (sendes til deltagerne)").fill("Underviseren er syg")
    page.get_by_role("button", name="Ja, aflys holdet").click()
    expect(page.get_by_role("status").first).to_contain_text("Holdet er aflyst.")
    assert _status_of(live_server, CourseSession, course_session_id) is (
        SessionStatus.cancelled
    )
    assert _status_of(live_server, Booking, booking_id) is BookingStatus.cancelled
