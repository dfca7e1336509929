"""The team heat map at 55 columns in Chromium (issue 15): a team whose profile asks
for 25 competences in two areas besides the 30 basic ones. The columns come in
labelled area groups, the page itself does not scroll sideways (the map scrolls in
its own box), and the people column and the headers stay in view at the far end."""

import pytest
from playwright.sync_api import expect

from core.db import db
from core.people import services as people
from core.people.demo import DEMO_PASSWORD
from core.people.models import OrgUnit, Role, UnitKind
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from learning.competences.models import CompetenceKind, Layer
from tests.e2e.conftest import sign_in
from tests.e2e.test_pages_on_screen import assert_stuck, screenshot

pytestmark = pytest.mark.e2e

MANAGER = "leder.bred@jobcenter.demo.dk"
AREAS = {
    "BRED-U": ("Beskæftigelsesindsats for unge under 30 år", 12),
    "BRED-V": ("Virksomhedsrettet indsats og jobformidling", 13),
}


@pytest.fixture(scope="module")
def wide_team(live_server) -> str:
    """A team of seven under a new jobcentre, rated against 55 competences; one
    member never assessed. Returns the team's name."""
    with live_server.app.app_context():
        profile = framework.save_profile(
            None, None, key="bred-e2e", title="Bred profil (e2e)"
        )
        wanted = {}
        for code, (title, count) in AREAS.items():
            area = framework.save_area(None, None, code=code, title=title)
            for n in range(1, count + 1):
                competence = framework.save_competence(
                    None,
                    None,
                    code=f"{code}-{n:02d}",
                    title=f"{title}: delkompetence nummer {n}",
                    kind=CompetenceKind.action,
                    layer=Layer.specific,
                    area=area,
                )
                wanted[competence.id] = (3, 2)
        framework.set_requirements(None, profile, wanted)
        region = db.session.scalar(
            db.select(OrgUnit).where(OrgUnit.kind == UnitKind.region).limit(1)
        )
        centre = people.create_unit(
            None, kind=UnitKind.jobcentre, name="Jobcenter Bredde", parent=region
        )
        team = people.create_unit(
            None, kind=UnitKind.team, name="Breddeteamet", parent=centre
        )
        manager = people.create_user(
            None,
            email=MANAGER,
            name="Lea Leder",
            password=DEMO_PASSWORD,
            roles=[Role.manager, Role.employee],
            team=team,
        )
        team.manager = manager
        basic = {cid: (2, "") for cid in framework_basic_ids()}
        assessments.save_round(manager, manager, RatingSource.self, basic)
        for n, name in enumerate(
            ["Ada Ny", "Bent Bred", "Cia Ceder", "Dan Dahl", "Eva Eg", "Finn Fyr"]
        ):
            member = people.create_user(
                None, email=f"bred{n}@jobcenter.demo.dk", name=name, team=team
            )
            framework.set_user_profiles(None, member, [profile])
            if name == "Ada Ny":
                continue  # never assessed
            levels = {
                cid: (0, "") if (cid + n) % 3 == 0 else ((cid * n) % 5, "")
                for cid in [*wanted, *framework_basic_ids()]
            }
            assessments.save_round(member, member, RatingSource.self, levels)
        db.session.commit()
    return "Breddeteamet"


def framework_basic_ids() -> list[int]:
    basic = [p for p in framework.all_profiles() if p.basic]
    return [r.competence_id for p in basic for r in p.requirements]


def test_55_columns_in_area_groups_scroll_in_their_own_box(page, wide_team):
    sign_in(page, MANAGER, DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/kompetencer/vurdering/team")
    expect(page.locator("h1")).to_contain_text(wide_team)

    columns = page.locator("#heat-map thead th.heat-head")
    assert columns.count() >= 55
    groups = page.locator("#heat-map thead tr.heat-areas th[scope=colgroup]")
    names = groups.all_inner_texts()
    assert len(names) >= 3
    for title, _count in AREAS.values():
        assert title in names
    spans = [int(g.get_attribute("colspan")) for g in groups.all()]
    assert sum(spans) == columns.count()
    assert page.locator("#heat-map tbody tr").count() == 7
    # Never assessed: shown apart, sorted last, no painted gaps.
    last = page.locator("#heat-map tbody tr").last
    expect(last.locator("th")).to_have_text("Ada Ny")
    painted = "td.heat-0, td.heat-1, td.heat-2, td.heat-3, td.heat-4"
    assert last.locator(painted).count() == 0
    expect(last).to_contain_text("ikke vurderet")

    # The page keeps to the window; the map scrolls inside its box.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    box = page.locator(".heat-scroll")
    first = page.locator("#heat-map tbody th").first
    head = columns.first
    before = (first.bounding_box()["x"], head.bounding_box()["y"])
    screenshot(page, "heat-map-55")
    box.evaluate("e => { e.scrollLeft = e.scrollWidth; e.scrollTop = e.scrollHeight; }")
    assert box.evaluate("e => e.scrollLeft") > 1000
    after = (first.bounding_box()["x"], head.bounding_box()["y"])
    assert_stuck(before, after, box)
    # The last column and its area's name are now in view, beside the names.
    edge = box.bounding_box()
    last_head = columns.last.bounding_box()
    assert edge["x"] < last_head["x"] < edge["x"] + edge["width"]
    expect(groups.last).to_be_in_viewport()
    screenshot(page, "heat-map-55-scrolled")


def test_column_headings_tell_competences_apart_and_the_caption_is_in_view(
    page, wide_team
):
    """Titles that begin alike ('Beskæftigelsesindsats for unge ...: delkompetence
    nummer 1', '... 2') must not all read 'Beskæftigelsesi…' in the header."""
    sign_in(page, MANAGER, DEMO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/kompetencer/vurdering/team")
    shorts = page.locator("#heat-map thead .heat-short").all_inner_texts()
    assert len(shorts) >= 55
    assert len(set(shorts)) == len(shorts), shorts[:5]
    assert "BRED-U-01" in shorts[0]

    # The caption names the map where the map begins, not in the middle of a
    # table thousands of pixels wide.
    text = page.evaluate(
        """() => { const range = document.createRange();
        range.selectNodeContents(document.querySelector('#heat-map caption'));
        const r = range.getBoundingClientRect();
        return {x: r.x, width: r.width}; }"""
    )
    box = page.locator(".heat-scroll").bounding_box()
    assert box["x"] <= text["x"] < box["x"] + 40, (text, box)
