"""A provider publishes a course and a session in Chromium; an employee finds it."""

import re

import pytest

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.dates import working_day
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api").expect

TITLE = "Jobsamtaler med unge i praksis"


def field(page, label: str):
    """The input labelled `label`, whether or not the label says it is required."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(skal udfyldes\))?$"))


def demo_person(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def test_provider_publishes_and_an_employee_finds_the_course(page):
    provider = demo_person("provider")
    sign_in(page, provider["email"], DEMO_PASSWORD)
    page.get_by_role("link", name="Kursusudbyder").click()
    page.get_by_role("link", name="Nyt kursus").first.click()
    field(page, "Titel").fill(TITLE)
    field(page, "Beskrivelse").fill("Samtaleteknik for jobkonsulenter.")
    field(page, "Undervisningsform").select_option("blended")
    # The ministry's courses are for state staff unless it says otherwise; this
    # one is for the municipal employee below too.
    field(page, "Målgruppe").select_option("both")
    field(page, "Pris for kommunale medarbejdere").fill("1.250,00")
    page.get_by_role("button", name="Gem som kladde").click()
    expect(page.get_by_text("Kurset er gemt som kladde")).to_be_visible()
    # A draft: the provider previews it as people will see it, then publishes.
    page.get_by_role("link", name="Forhåndsvis").click()
    expect(page.get_by_text("Forhåndsvisning")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("link", name="Tilbage til kurset").click()
    page.get_by_role("button", name="Udgiv").click()
    expect(page.get_by_text("Kurset er offentliggjort i kataloget.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    day = working_day(40)
    page.get_by_role("link", name="Nyt hold").click()
    field(page, "Antal pladser").fill("12")
    field(page, "Sted").fill("Jobcenter København")
    field(page, "Dato").fill(day.isoformat())
    field(page, "Starter kl.").fill("09:00")
    field(page, "Slutter kl.").fill("15:00")
    page.get_by_role("button", name="Opret hold").click()
    expect(page.get_by_text("Holdet er oprettet.")).to_be_visible()

    page.context.clear_cookies()
    employee = demo_person("employee")
    sign_in(page, employee["email"], DEMO_PASSWORD)
    page.get_by_role("link", name="Kursuskatalog").click()
    page.get_by_label("Søg", exact=True).fill("jobsamtaler med unge")
    page.get_by_role("button", name="Vis kurser").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("12 ledige pladser").first).to_be_visible()
    expect(page.get_by_text("1.250,00 kr.").first).to_be_visible()
    expect(page.get_by_text("09:00–15:00").first).to_be_visible()
