"""A coordinator imports a framework from CSV, an employee assesses herself in
Chromium, her manager assesses her, and both see the same gaps and picture."""

import re

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD, load_demo_data
from learning.competences.demo import load_demo_framework
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

FRAMEWORK_CSV = """type,code,title,title_en,description,kind,layer,area,source,profile,target,priority,basic
area,DIGI,Digital borgerservice,Digital citizen service,Selvbetjening og digitale redskaber,,,,,,,,
competence,DIGI-01,Kan vejlede borgere i digital selvbetjening,Guides citizens in self-service,Hjælper borgeren i gang med Jobnet og MitID,handling,specifik,DIGI,e2e,,,,
requirement,DIGI-01,,,,,,,,company-consultant,3,3,
"""  # noqa: E501


def person(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


@pytest.fixture
def other_page(browser, live_server):
    """A second browser, so two people can be signed in side by side."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="da-DK")
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_timeout(15_000)
        return new_page

    yield make
    for context in contexts:
        context.close()


def profile_picture(page) -> dict[str, str]:
    """What a profile page shows of the gaps: the table, the order and the SVG."""
    return {
        "table": page.locator("#profile-table").inner_text(),
        "sums": page.locator("#layer-sums").inner_text(),
        "gaps": page.locator("#gaps-in-order").inner_text(),
        "svg": page.locator("svg.profile-chart").evaluate("e => e.outerHTML"),
    }


def test_import_self_assessment_and_manager_assessment_agree(page, other_page):
    coordinator, employee, manager = (
        person("coordinator"),
        person("employee"),
        person("manager"),
    )

    sign_in(page, coordinator["email"], DEMO_PASSWORD)
    page.goto("/kompetencer/ramme/import")
    page.get_by_label(
        "Fil med kompetenceramme (CSV, Excel eller JSON)"
    ).set_input_files(
        {
            "name": "digital.csv",
            "mimeType": "text/csv",
            "buffer": FRAMEWORK_CSV.encode("utf-8"),
        }
    )
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Forhåndsvisning af importen"
    )
    assert (
        "Kan vejlede borgere i digital selvbetjening"
        in page.locator("#import-changes").inner_text()
    )
    page.get_by_role("button", name="Gennemfør importen").click()
    assert "Kompetencerammen er importeret" in page.get_by_role("status").inner_text()

    staff = other_page()
    sign_in(staff, employee["email"], DEMO_PASSWORD)
    staff.get_by_role("link", name="Min kompetenceprofil").click()
    staff.get_by_role("link", name="Vurdér dig selv").first.click()
    sections = staff.get_by_role("navigation", name="Afsnit i vurderingen")
    sections.get_by_role("link", name="Digital borgerservice").click()
    scale = staff.locator("#scale").inner_text()
    group = staff.get_by_role("group", name=re.compile("DIGI-01"))
    for level in load_demo_framework()["scale"]["levels"]:
        assert level["description"] in scale  # the scale once, not per competence
        assert level["description"] not in group.inner_text()
    progress = staff.locator("#progress").inner_text()
    assert re.search(r"\d+ af \d+ vurderet", progress)
    group.get_by_role("radio", name="0 Ingen").check()
    group.get_by_label("Kommentar til DIGI-01").fill("Har ikke prøvet det endnu")
    staff.get_by_role("button", name="Gem afsnittet og gå videre").click()
    assert "Digital borgerservice er gemt." in staff.get_by_role("status").inner_text()
    staff.goto("/kompetencer/vurdering/profil")

    lead = other_page()
    sign_in(lead, manager["email"], DEMO_PASSWORD)
    lead.get_by_role("link", name="Teamets kompetencer").click()
    heat = lead.locator("#heat-map")
    expect(heat.get_by_role("link", name=employee["name"])).to_be_visible()
    heat.get_by_role("link", name=employee["name"]).click()
    lead.get_by_role("link", name="Lederens vurdering").click()
    sections = lead.get_by_role("navigation", name="Afsnit i vurderingen")
    sections.get_by_role("link", name="Digital borgerservice").click()
    group = lead.get_by_role("group", name=re.compile("DIGI-01"))
    group.get_by_role("radio", name="2 Kunne").check()
    lead.get_by_role("button", name="Gem afsnittet og gå videre").click()
    assert "Digital borgerservice er gemt." in lead.get_by_role("status").inner_text()
    lead.get_by_role("link", name="Teamets kompetencer").click()
    lead.locator("#heat-map").get_by_role("link", name=employee["name"]).click()

    staff.reload()
    seen_by_employee, seen_by_manager = profile_picture(staff), profile_picture(lead)
    assert seen_by_employee == seen_by_manager
    row = staff.locator("#profile-table tr", has_text="DIGI-01")
    cells = row.locator("td").all_inner_texts()
    # target 3, self 0, manager 2: current 2, gap 1, priority 3, weighted 3
    assert cells[2:] == ["3", "0", "2", "–", "2", "1", "3", "3"]
    assert "samtaleemne" in row.inner_text()
    assert "DIGI-01" in staff.locator("#talk-topics").inner_text()
    svg = staff.locator("svg.profile-chart")
    assert svg.get_attribute("role") == "img"
    assert "2/3" in svg.inner_html()
