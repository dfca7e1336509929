"""In Chromium: an administrator makes the directory's provisioning token on
'Brugerstyring fra kataloget', sees it once, the directory uses it, and the
administrator revokes it; the page passes axe's WCAG 2.1 AA checks."""

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in
from tests.e2e.test_booking import demo_email

pytestmark = pytest.mark.e2e


def test_an_administrator_makes_uses_and_revokes_a_scim_token(page):
    sign_in(page, demo_email("admin"), DEMO_PASSWORD)
    page.goto("/admin/katalog/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Brugerstyring fra kataloget"
    )
    assert violations(page) == []

    page.get_by_label("Navn").fill("Entra ID æøå")
    page.get_by_label("Et år").check()
    page.get_by_role("button", name="Lav nøgle").click()

    token = page.get_by_label("Nøgle", exact=True).input_value()
    assert token.startswith("kp_")
    assert violations(page) == []
    headers = {"Authorization": f"Bearer {token}"}
    listed = page.request.get("/scim/v2/Users?count=1", headers=headers)
    assert listed.status == 200
    assert listed.json()["totalResults"] > 0

    page.goto("/admin/katalog/")  # shown once: a new look no longer has it
    assert token not in page.content()
    page.get_by_role("button", name="Tilbagekald Entra ID æøå").click()
    expect(page.get_by_text("Nøglen Entra ID æøå er tilbagekaldt.")).to_be_visible()
    assert page.request.get("/scim/v2/Users", headers=headers).status == 401
