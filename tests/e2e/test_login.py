"""A person signs in with a demo account in Chromium and sees the Danish dashboard."""

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e


def demo_person(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def test_demo_employee_signs_in_and_sees_the_danish_dashboard(page):
    employee = demo_person("employee")
    sign_in(page, employee["email"], DEMO_PASSWORD)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Velkommen, {employee['name']}"
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


def test_wrong_password_shows_a_danish_error_at_the_form(page):
    employee = demo_person("employee")
    sign_in(page, employee["email"], "not-the-password")
    assert (
        page.get_by_role("alert")
        .inner_text()
        .count("E-mailadressen eller adgangskoden er forkert.")
        == 1
    )
    assert page.get_by_label("E-mail").input_value() == employee["email"]


def test_sign_out_with_the_keyboard(page):
    employee = demo_person("employee")
    sign_in(page, employee["email"], DEMO_PASSWORD)
    page.get_by_role("button", name="Log ud").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/log-ind")
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
