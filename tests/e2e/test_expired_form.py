"""The self-assessment in Chromium keeps its answers when the page's security
token no longer holds (issue 15): the answers come back selected with a notice,
and saving again works; signed out in another tab, they come back after signing
in again."""

import re

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

NOTICE = "Siden var udløbet; dine svar er gemt — tjek dem og gem igen"
SAVE = "Gem afsnittet og gå videre"


def person(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def fill_the_section(page) -> dict[str, tuple[str, str]]:
    """A level in every competence of the open section, cycling through the
    scale, and a comment with æøå on each; returns group name -> (level, text)."""
    chosen = {}
    groups = page.locator("form fieldset.competence-fieldset")
    for n in range(groups.count()):
        group = groups.nth(n)
        radios = group.get_by_role("radio")
        radio = radios.nth((n + 1) % radios.count())
        radio.check()
        text = f"Mit svar nr. {n + 1}: særligt på Østerbro"
        group.get_by_role("textbox").fill(text)
        name = group.locator("legend").inner_text()
        chosen[name] = (radio.get_attribute("value"), text)
    return chosen


def assert_still_there(page, chosen: dict[str, tuple[str, str]]) -> None:
    groups = page.locator("form fieldset.competence-fieldset")
    assert groups.count() == len(chosen)
    for n in range(groups.count()):
        group = groups.nth(n)
        level, text = chosen[group.locator("legend").inner_text()]
        expect(group.locator(f'input[type="radio"][value="{level}"]')).to_be_checked()
        expect(group.get_by_role("textbox")).to_have_value(text)


def open_the_self_assessment(page):
    page.goto("/kompetencer/vurdering/selv")
    expect(page.get_by_role("button", name=SAVE)).to_be_visible()
    return page.locator("form h2").inner_text()


def test_a_tampered_token_keeps_every_answer_and_saving_again_works(page):
    sign_in(page, person("rikke-johansen")["email"], DEMO_PASSWORD)
    area = open_the_self_assessment(page)
    chosen = fill_the_section(page)
    assert len(chosen) > 1
    page.locator("form:has(fieldset) input[name=csrf_token]").evaluate(
        "input => { input.value = 'forfalsket' + input.value }"
    )

    page.get_by_role("button", name=SAVE).click()

    expect(page.get_by_role("status").filter(has_text=NOTICE)).to_be_visible()
    assert page.locator("form h2").inner_text() == area
    assert_still_there(page, chosen)
    page.get_by_role("button", name=SAVE).click()
    expect(
        page.get_by_role("status").filter(has_text=f"{area} er gemt.")
    ).to_be_visible()


def test_signed_out_in_another_tab_the_answers_come_back_after_signing_in(
    page, browser, live_server
):
    who = person("ole-hansen")
    sign_in(page, who["email"], DEMO_PASSWORD)
    area = open_the_self_assessment(page)
    chosen = fill_the_section(page)
    other_tab = page.context.new_page()
    other_tab.goto(live_server.url + "/")
    other_tab.get_by_role("button", name="Log ud").click()
    expect(other_tab).to_have_url(re.compile("/log-ind"))
    other_tab.close()

    page.get_by_role("button", name=SAVE).click()

    expect(page).to_have_url(re.compile("/log-ind"))
    page.get_by_label("E-mail").fill(who["email"])
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("status").filter(has_text=NOTICE)).to_be_visible()
    assert page.locator("form h2").inner_text() == area
    assert_still_there(page, chosen)
    page.get_by_role("button", name=SAVE).click()
    expect(
        page.get_by_role("status").filter(has_text=f"{area} er gemt.")
    ).to_be_visible()
