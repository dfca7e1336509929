"""In Chromium: the demo employee asks a colleague to be her mentor from
"Forslag til dig", and the colleague says yes."""

import pytest

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def demo_email(key: str) -> str:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)["email"]


def _person(browser, live_server, key: str):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo_email(key), DEMO_PASSWORD)
    return page


def test_the_employee_asks_a_colleague_to_be_her_mentor(browser, live_server):
    employee = _person(browser, live_server, "employee")
    employee.goto("/forslag")
    employee.get_by_role("link", name="Find en kollega til sparring").first.click()
    employee.get_by_role("heading", name="Kolleger, der kan hjælpe dig").wait_for()
    mentor = employee.locator("li.mentor", has_text="Birgitte Lund").first
    assert "Niveau:" in mentor.inner_text()
    mentor.get_by_label("Besked til Birgitte Lund (valgfri)").fill(
        "Kan du vise mig, hvordan du forbereder et virksomhedsbesøg?"
    )
    mentor.get_by_role("button", name="Spørg Birgitte Lund om sparring").click()
    assert (
        "Birgitte Lund er spurgt" in employee.get_by_role("status").first.inner_text()
    )
    sent = employee.locator("li.mentor-request", has_text="Birgitte Lund")
    assert "venter på svar" in sent.inner_text()

    colleague = _person(browser, live_server, "birgitte-lund")
    colleague.goto("/forslag/kolleger/anmodninger")
    asked = colleague.locator("li.mentor-request", has_text="Mette Nielsen")
    assert "virksomhedsbesøg" in asked.inner_text()
    asked.get_by_label("Svar (valgfrit)").fill("Ja, kom med på tirsdag.")
    asked.get_by_role("button", name="Ja, jeg hjælper Mette Nielsen").click()
    assert "Dit svar er sendt" in colleague.get_by_role("status").first.inner_text()

    employee.goto("/forslag/kolleger/anmodninger")
    answered = employee.locator("li.mentor-request", has_text="Birgitte Lund")
    assert "accepteret" in answered.inner_text()
    assert "kom med på tirsdag" in answered.inner_text()
