"""In Chromium (issue 17's Done when, its knowledge part): the key person for
ethnic minorities in Jobcenter København writes a guidance note tagged with a
competence, publishes it, and a colleague with a gap in that competence finds it
under "Forslag til dig", adds reading it to the development plan and sees it in
the plan. (The coordinator seeing which jobcentres lack a EURES key person is
test_key_persons.py's.)"""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import User
from learning.assessments import services as assessments
from learning.competences.models import Competence
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

KEY_PERSON = "keyperson"  # Ayse Yilmaz, key person for ethnic minorities
# A colleague whose gaps no demo item covers, and whom no other browser test
# assesses or trains.
EMPLOYEE = "mads-rasmussen"
TITLE = "Vejledning: tolk og kulturforståelse i den første samtale (e2e)"


def demo(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def _tab(browser, live_server, key: str):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo(key)["email"], DEMO_PASSWORD)
    return page


def _largest_gap(live_server) -> str:
    """The option text of the employee's most weighted gap competence, read
    from the product's own gap calculation at the time the test runs."""
    with live_server.app.app_context():
        person = db.session.scalar(
            sa.select(User).where(User.email == demo(EMPLOYEE)["email"])
        )
        gaps = assessments.gaps_for([person.id])[person.id].in_order()
        competence = db.session.get(Competence, gaps[0].competence_id)
        return f"{competence.code} {competence.title}"


def test_a_published_guidance_note_reaches_a_colleague_with_the_gap(
    browser, live_server
):
    competence = _largest_gap(live_server)

    author = _tab(browser, live_server, KEY_PERSON)
    author.goto("/")
    author.get_by_role("link", name="Specialområder").first.click()
    author.get_by_role("link", name="Etniske minoriteter").first.click()
    author.get_by_role("heading", name="Etniske minoriteter", level=1).wait_for()
    author.get_by_role("link", name="Skriv et vidensindlæg").click()
    author.get_by_label("Type").select_option(label="Vejledning")
    author.get_by_label("Titel").fill(TITLE)
    author.get_by_label("Resumé").fill(
        "Hvornår du bestiller tolk, og hvordan du spørger til kompetencer fra "
        "hjemlandet: fem råd fra nøglepersonen."
    )
    author.get_by_label("Tekst").fill(
        "Bestil tolk i god tid.\n\nTal direkte til borgeren, også når tolken er med."
    )
    author.get_by_label("Kompetencer, indlægget hjælper med at udvikle").select_option(
        label=competence
    )
    author.get_by_role("button", name="Gem").click()
    expect(author.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    assert "Kladde" in author.locator("main").inner_text()
    author.get_by_role("button", name="Udgiv", exact=True).click()
    expect(author.get_by_text("Indlægget er udgivet.")).to_be_visible()
    assert violations(author) == []

    employee = _tab(browser, live_server, EMPLOYEE)
    employee.goto("/")
    employee.get_by_role("link", name="Forslag til dig").first.click()
    employee.get_by_role("heading", name="Forslag til dig", level=1).wait_for()
    section = employee.locator(
        "section", has=employee.locator("#knowledge-suggestions")
    )
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    assert competence in section.inner_text()
    assert violations(employee) == []
    section.get_by_role(
        "button", name=f"Føj læsning af '{TITLE}' til min udviklingsplan"
    ).click()
    expect(
        employee.get_by_text(f"Læsning af '{TITLE}' er føjet til din udviklingsplan.")
    ).to_be_visible()

    # The plan, opened again from the menu, holds the reading.
    employee.goto("/")
    employee.get_by_role("link", name="Min udviklingsplan").first.click()
    employee.get_by_role("table", name="Dine planer").get_by_role("link").first.click()
    expect(employee.locator("main").get_by_text(TITLE).first).to_be_visible()

    # And "Forslag til dig" now says it is in the plan instead of offering it.
    employee.get_by_role("link", name="Forslag til dig").first.click()
    employee.get_by_role("heading", name="Forslag til dig", level=1).wait_for()
    expect(section.get_by_text("Indlægget står i din udviklingsplan.")).to_be_visible()
