"""In Chromium (issue 15, safe actions): "Udfas" on a competence opens the design
system's modal that says what retiring means; Escape keeps the competence, and
confirming with a reason retires it. (Afmeld and Aflys hold: test_safe_actions.)"""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.db import db
from core.people.demo import DEMO_PASSWORD
from learning.competences import services as framework
from learning.competences.models import Area, Competence, CompetenceKind, Layer
from tests.e2e.conftest import sign_in
from tests.e2e.test_pages_on_screen import person

pytestmark = pytest.mark.e2e

CODE = "UDFAS-E2E"


@pytest.fixture
def competence(live_server) -> int:
    """A competence a profile requires (so it is retired, not deleted)."""
    with live_server.app.app_context():
        area = db.session.scalar(sa.select(Area).order_by(Area.id).limit(1))
        made = framework.save_competence(
            None,
            None,
            code=CODE,
            title="Kan udfases i browseren",
            kind=CompetenceKind.knowledge,
            layer=Layer.specific,
            area=area,
        )
        profile = framework.save_profile(
            None, None, key="udfas-e2e", title="Udfasningsprofil (e2e)"
        )
        framework.set_requirements(None, profile, {made.id: (2, 1)})
        db.session.commit()
        return made.id


def retired(live_server, competence_id: int) -> bool:
    with live_server.app.app_context():
        return db.session.get(Competence, competence_id).retired


def test_udfas_asks_in_a_modal_escape_keeps_and_confirming_retires(
    page, live_server, competence
):
    sign_in(page, person("coordinator")["email"], DEMO_PASSWORD)
    page.goto(f"/kompetencer/ramme/{competence}")
    opener = page.get_by_role("button", name="Udfas", exact=True)
    dialog = page.get_by_role("dialog", name=f"Vil du udfase {CODE}?")
    expect(dialog).to_be_hidden()

    opener.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Du kan genindsætte den senere.")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    assert retired(live_server, competence) is False

    opener.click()
    dialog.get_by_label("Hvorfor? (frivilligt)").fill("Erstattet af en ny")
    dialog.get_by_role("button", name="Ja, udfas den").click()
    expect(page.get_by_role("status").first).to_be_visible()
    assert retired(live_server, competence) is True
