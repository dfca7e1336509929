"""In Chromium: the region's adviser sees which jobcentres lack a key person for
EURES, and the coordinator of Jobcenter København appoints one from the menu,
after which København is no longer on the adviser's list."""

import pytest

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.e2e.axe import violations
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


def _lacking_eures(page) -> list[str]:
    page.goto("/")
    page.get_by_role("link", name="Nøglepersoner").first.click()
    page.get_by_label(
        "Vis kun de jobcentre, der mangler en nøgleperson for"
    ).select_option(label="EURES")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.get_by_role("heading", name="Nøglepersoner på tværs af jobcentre").wait_for()
    return page.locator("tbody th[scope=row]").all_inner_texts()


def test_the_coordinator_closes_a_eures_gap_the_region_sees(browser, live_server):
    adviser = _person(browser, live_server, "region-adviser")
    before = _lacking_eures(adviser)
    assert "Jobcenter København" in before
    assert "Jobcenter Hvidovre" not in before  # Kim Larsen is its EURES key person
    assert violations(adviser) == []

    coordinator = _person(browser, live_server, "coordinator")
    coordinator.goto("/")
    coordinator.get_by_role("link", name="Nøglepersoner").first.click()
    coordinator.get_by_role("link", name="Jobcenter København").click()
    coordinator.get_by_role(
        "heading", name="Nøglepersoner i Jobcenter København"
    ).wait_for()
    assert "EURES" in coordinator.get_by_role("status").first.inner_text()
    assert violations(coordinator) == []
    coordinator.get_by_label("Person").select_option(
        label="Birgitte Lund (Virksomhedsteam)"
    )
    coordinator.get_by_label("Specialområde").select_option(label="EURES")
    coordinator.get_by_role("button", name="Udpeg").click()
    assert "Birgitte Lund er nu nøgleperson for EURES." in (
        coordinator.get_by_role("status").first.inner_text()
    )

    assert "Jobcenter København" not in _lacking_eures(adviser)
