"""In Chromium, under the app's Content-Security-Policy: the report pictures
(learning/reports/charts.py) as people meet them. The jobcentre's coordinator
finds the picture of the competences most missing by its name, reads each
bar's number in the table right below it, sees a long competence name
shortened with the whole name as its tooltip, and the picture fits a phone's
width; the region's adviser sees the jobcentres side by side. axe finds no
WCAG 2.1 AA violation on either page.

The jobcentre is made here, beside the demo's, with competences of its own so
the numbers are known: three people need both (target 3); K1 has priority 3,
K2 priority 1. Ada is at 0 in K1 (gap 9) and 2 in K2 (1); Bo at 1 in K1 (6);
Cai is not assessed. Weighted gap: K1 15, K2 1.
"""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from core.db import db
from core.people import services as people
from core.people.advisers import set_adviser
from core.people.demo import DEMO_PASSWORD
from core.people.models import OrgUnit, Role, UnitKind
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.competences.models import Area, CompetenceKind, Layer, UserProfile
from tests.dates import today
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

CENTRE = "Jobcenter Billeder Ærø"
COORDINATOR = "koordinator@billeder-e2e.demo.dk"
ADVISER = "konsulent@billeder-e2e.demo.dk"
K1 = (
    "BIL-K1",
    "Viden om lovgivningen om den aktive beskæftigelsesindsats og dens bekendtgørelser",
)
K2 = ("BIL-K2", "Samtale med borgere")


def _make_jobcentre() -> None:
    region = db.session.scalar(
        db.select(OrgUnit).where(OrgUnit.kind == UnitKind.region).order_by(OrgUnit.id)
    )
    centre = people.create_unit(
        None, kind=UnitKind.jobcentre, name=CENTRE, parent=region
    )
    team = people.create_unit(
        None, kind=UnitKind.team, name="Billedteamet", parent=centre
    )

    def person(key: str, name: str, *roles: Role, unit=team):
        return people.create_user(
            None,
            email=f"{key}@billeder-e2e.demo.dk",
            name=name,
            password=DEMO_PASSWORD,
            roles=(Role.employee, *roles),
            team=unit,
        )

    person("koordinator", "Hilde Billed", Role.coordinator)
    adviser = person("konsulent", "Karen Konsulent", Role.coordinator)
    set_adviser(adviser, region)
    staff = [person(key, name) for key, name in (("ada", "Ada"), ("bo", "Bo"))]
    staff.append(person("cai", "Cai"))
    area = db.session.scalar(db.select(Area).order_by(Area.id))
    k1, k2 = (
        framework.save_competence(
            None,
            None,
            code=code,
            title=title,
            kind=CompetenceKind.knowledge,
            layer=Layer.specific,
            area=area,
        )
        for code, title in (K1, K2)
    )
    profile = framework.save_profile(
        None, None, key="billeder-e2e", title="Billedprøve"
    )
    framework.set_requirements(None, profile, {k1.id: (3, 3), k2.id: (3, 1)})
    db.session.add_all(UserProfile(user_id=p.id, profile_id=profile.id) for p in staff)
    db.session.flush()
    rated = datetime.combine(today() - timedelta(days=7), time(9), tzinfo=UTC)
    ada, bo, _cai = staff
    for who, levels in ((ada, {k1.id: 0, k2.id: 2}), (bo, {k1.id: 1, k2.id: 3})):
        entries = {c: (level, "") for c, level in levels.items()}
        assessments.save_round(who, who, RatingSource.self, entries, at=rated)
    db.session.commit()


@pytest.fixture(scope="module")
def jobcentre(live_server) -> None:
    with live_server.app.app_context():
        _make_jobcentre()


def _figure_then_table(picture) -> list[str]:
    """What follows the picture in the page: its figure's caption, then the
    element right after the figure."""
    return picture.evaluate(
        """svg => {
            const figure = svg.closest("figure");
            return [
                figure.querySelector("figcaption").textContent,
                figure.nextElementSibling.tagName,
                figure.nextElementSibling.id,
            ];
        }"""
    )


def test_the_coordinator_reads_the_picture_and_the_table_below_it(page, jobcentre):
    sign_in(page, COORDINATOR, DEMO_PASSWORD)
    page.get_by_role("link", name="Efterspørgsel").first.click()
    page.get_by_role("heading", level=1, name=f"Efterspørgsel: {CENTRE}")

    picture = page.get_by_role(
        "img", name=re.compile(f"De mest manglende kompetencer i {CENTRE}")
    )
    expect(picture).to_be_visible()
    assert picture.locator("title").first.text_content() == (
        f"De mest manglende kompetencer i {CENTRE}"
    )
    caption, after, table_id = _figure_then_table(picture)
    assert after == "TABLE"
    assert table_id == "kompetencer"
    assert "tabellen “De mest manglende kompetencer” lige under det" in caption
    table = page.get_by_role("table", name="De mest manglende kompetencer")
    expect(table).to_be_visible()

    # Each bar's tooltip holds the competence and its number; the table's row
    # for it has the same number under "Vægtet gab".
    tooltips = picture.locator("g > title").all_text_contents()
    assert tooltips == [f"{K1[0]} {K1[1]}: 15", f"{K2[0]} {K2[1]}: 1"]
    columns = table.locator("thead th").all_inner_texts()
    weighted = columns.index("Vægtet gab")
    for code, _title in (K1, K2):
        row = table.locator("tbody tr").filter(has_text=code)
        assert row.locator("th, td").all_inner_texts()[weighted] == (
            "15" if code == K1[0] else "1"
        )
    # The long name is shortened on the picture; its tooltip has all of it.
    shown = picture.locator("g > text").first.text_content()
    assert shown.endswith("…")
    assert f"{K1[0]} {K1[1]}".startswith(shown[:-1])
    # The bars are as long as their numbers: 15 against 1.
    k1, k2 = (
        float(picture.locator("g > rect").nth(i).get_attribute("width"))
        for i in range(2)
    )
    assert k1 == pytest.approx(15 * k2, rel=0.05)
    assert violations(page) == []

    # On a phone the picture shrinks to the page's width instead of scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    box = picture.bounding_box()
    assert box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_adviser_sees_the_jobcentres_side_by_side(page, jobcentre):
    sign_in(page, ADVISER, DEMO_PASSWORD)
    page.goto("/rapporter/region")

    picture = page.get_by_role("img", name=re.compile("jobcenter for jobcenter"))
    expect(picture).to_be_visible()
    _caption, after, table_id = _figure_then_table(picture)
    assert (after, table_id) == ("TABLE", "kompetencer")
    # A row of bars per jobcentre, ours among them, and each of ours is the
    # table's number for that competence and jobcentre (the demo's jobcentres
    # have gaps of their own, so which competences lead is theirs to say).
    ours = [
        text.removeprefix(f"{CENTRE}, ").rsplit(": ", 1)
        for text in picture.locator("g > title").all_text_contents()
        if text.startswith(f"{CENTRE}, ")
    ]
    assert len(ours) == 4  # the region's four most missing competences
    columns = page.locator("#kompetencer thead th").all_inner_texts()
    for competence, number in ours:
        row = page.locator("#kompetencer tbody tr").filter(has_text=competence)
        assert row.locator("th, td").all_inner_texts()[columns.index(CENTRE)] == number
    assert violations(page) == []
