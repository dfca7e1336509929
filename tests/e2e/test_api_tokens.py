"""In Chromium: a person makes an API access token on 'Adgangsnøgler til API',
sees it once, uses it against the API, and revokes it; the page passes axe's
WCAG 2.1 AA checks and the API's page for developers reads in Danish."""

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in
from tests.e2e.test_booking import demo_email

pytestmark = pytest.mark.e2e


def test_a_person_makes_uses_and_revokes_a_token(page):
    sign_in(page, demo_email("employee"), DEMO_PASSWORD)
    page.goto("/konto/adgangsnoegler/")
    assert violations(page) == []

    page.get_by_label("Navn").fill("HR-systemet æøå")
    page.get_by_label(
        "Læse dine egne kompetencegab, forslag, planer og tilmeldinger"
    ).check()
    page.get_by_label("30 dage").check()
    page.get_by_role("button", name="Opret nøgle").click()

    token = page.get_by_label("Nøgle", exact=True).input_value()
    assert len(token) > 20
    assert violations(page) == []
    headers = {"Authorization": f"Bearer {token}"}
    assert page.request.get("/api/v1/me/bookings", headers=headers).status == 200

    page.goto("/konto/adgangsnoegler/")  # shown once: a new look no longer has it
    assert token not in page.content()
    page.get_by_role("button", name="Tilbagekald HR-systemet æøå").click()
    expect(page.get_by_text("Nøglen HR-systemet æøå er tilbagekaldt.")).to_be_visible()
    refused = page.request.get("/api/v1/me/bookings", headers=headers)
    assert refused.status == 401


def test_the_developers_page_is_danish_and_accessible(page):
    page.goto("/api/v1/docs")

    assert page.get_by_role("heading", level=1).inner_text() == "API for udviklere"
    assert violations(page) == []
