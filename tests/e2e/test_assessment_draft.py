"""The self-assessment in Chromium keeps a draft of what was typed and not saved
yet (issue 15): moving to another area and back, or reloading, puts the answers
back with a note; the note's button throws the draft away, and saving drops it.
Also the screenshot of the self-assessment for a person to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_pages_on_screen import person, screenshot

pytestmark = pytest.mark.e2e

RESTORED = "som endnu ikke var gemt"
SAVE = "Gem afsnittet og gå videre"
SECTIONS = "nav.assessment-sections a"


def first_competence(page):
    return page.locator("form fieldset.competence-fieldset").first


def unchosen_level(group) -> str:
    """A level the competence does not have now, so choosing it is a change."""
    radios = group.locator('input[type="radio"]')
    for n in range(radios.count()):
        if not radios.nth(n).is_checked():
            return radios.nth(n).get_attribute("value")
    raise AssertionError("every level is chosen")


def test_answers_not_yet_saved_come_back_after_visiting_another_area(page):
    sign_in(page, person("maria-joergensen")["email"], DEMO_PASSWORD)
    page.goto("/kompetencer/vurdering/selv")
    links = page.locator(SECTIONS)
    assert links.count() > 1, "the demo profile has more than one area"
    links.first.click()
    area = page.locator("form h2").inner_text()
    group = first_competence(page)
    level = unchosen_level(group)
    group.locator(f'input[type="radio"][value="{level}"]').check()
    group.get_by_role("textbox").fill("Kladde om Østerbro og æøå")

    links.nth(1).click()
    assert page.locator("form h2").inner_text() != area
    expect(page.get_by_text(RESTORED)).to_have_count(0)  # nothing typed there
    page.locator(SECTIONS).first.click()

    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    group = first_competence(page)
    expect(group.locator(f'input[type="radio"][value="{level}"]')).to_be_checked()
    expect(group.get_by_role("textbox")).to_have_value("Kladde om Østerbro og æøå")

    page.reload()  # a reload brings it back too
    expect(first_competence(page).get_by_role("textbox")).to_have_value(
        "Kladde om Østerbro og æøå"
    )
    page.get_by_role("button", name="Kassér kladden").click()
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    group = first_competence(page)
    expect(group.locator(f'input[type="radio"][value="{level}"]')).not_to_be_checked()
    expect(group.get_by_role("textbox")).not_to_have_value("Kladde om Østerbro og æøå")
    page.reload()
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_saving_the_section_drops_its_draft(page):
    sign_in(page, person("emil-petersen")["email"], DEMO_PASSWORD)
    page.goto("/kompetencer/vurdering/selv")
    page.locator(SECTIONS).first.click()
    area = page.locator("form h2").inner_text()
    group = first_competence(page)
    level = unchosen_level(group)
    group.locator(f'input[type="radio"][value="{level}"]').check()
    group.get_by_role("textbox").fill("Gemt svar")
    page.get_by_role("button", name=SAVE).click()
    expect(
        page.get_by_role("status").filter(has_text=f"{area} er gemt.")
    ).to_be_visible()

    page.locator(SECTIONS).first.click()
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    group = first_competence(page)
    expect(group.locator(f'input[type="radio"][value="{level}"]')).to_be_checked()
    expect(group.get_by_role("textbox")).to_have_value("Gemt svar")


def test_another_person_in_the_same_tab_does_not_get_the_draft(page):
    sign_in(page, person("mads-rasmussen")["email"], DEMO_PASSWORD)
    page.goto("/kompetencer/vurdering/selv")
    first_competence(page).get_by_role("textbox").fill("Privat kladde")
    url = page.url
    page.get_by_role("button", name="Log ud").click()
    sign_in(page, person("camilla-thomsen")["email"], DEMO_PASSWORD)
    page.goto("/kompetencer/vurdering/selv")
    expect(page.get_by_text(RESTORED)).to_have_count(0)
    keys = page.evaluate("() => Object.keys(sessionStorage)")
    assert not [k for k in keys if k.startswith("kladde:")], keys
    assert "Privat kladde" not in page.content()
    assert url  # the first person's page was a real section


def test_screenshot_of_the_self_assessment(page):
    sign_in(page, person("employee")["email"], DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/kompetencer/vurdering/selv")
    expect(page.locator("#progress")).to_contain_text("vurderet")
    expect(page.locator("#scale")).to_be_visible()
    screenshot(page, "self-assessment")
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:  # the first screen, as a person sees it on arriving
        page.screenshot(path=str(Path(folder) / "self-assessment-top.png"))
