"""In Chromium, what only a painted page shows: the heat map's colours and sticky
headers as computed by the browser, and the phone layout at 390 and 320 px.

Set E2E_SCREENSHOTS=<folder> to keep screenshots of the pages for a person to look at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

TEAM_MAP = "/kompetencer/vurdering/team"
# Contrast of each painted cell, from the colours the browser computed (WCAG 2.1).
_CELL_COLOURS = """() => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => v / 255).map((v) =>
      v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const cells = document.querySelectorAll("#heat-map tbody td[class^='heat-']");
  return [...cells].map((td) => {
    const style = getComputedStyle(td);
    const bg = rgb(style.backgroundColor), fg = rgb(style.color);
    const [hi, lo] = [lum(bg), lum(fg)].sort((a, b) => b - a);
    return {
      cls: td.className, text: td.innerText.trim(),
      background: style.backgroundColor, alpha: bg.length > 3 ? bg[3] : 1,
      contrast: (hi + 0.05) / (lo + 0.05),
    };
  });
}"""


def person(key: str) -> dict:
    return next(p for p in load_demo_data()["people"] if p["key"] == key)


def screenshot(page, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_heat_map_cells_are_painted_by_gap_with_readable_text(page):
    manager = person("manager")
    sign_in(page, manager["email"], DEMO_PASSWORD)
    page.goto(TEAM_MAP)
    cells = page.evaluate(_CELL_COLOURS)
    screenshot(page, "heat-map")

    painted = [c for c in cells if c["cls"] in {f"heat-{n}" for n in range(5)}]
    assert painted, "the demo team's map has gap cells"
    assert all(
        c["alpha"] == 1 and c["background"] != "rgb(255, 255, 255)" for c in painted
    )
    by_class = {c["cls"]: c["background"] for c in painted}
    assert len(set(by_class.values())) == len(by_class), by_class  # one colour a size
    assert min(c["contrast"] for c in cells) >= 4.5
    # The level is text as well as colour.
    assert all(c["text"].startswith(c["cls"].removeprefix("heat-")) for c in painted)


def assert_stuck(before: tuple, after: tuple, box) -> None:
    """The names column did not move sideways, and the header row is where it was
    or, when the map also scrolled down (a taller team), held at the box's top
    (the caption above it scrolled away) instead of leaving the view."""
    assert after[0] == pytest.approx(before[0], abs=1)
    top = box.bounding_box()["y"]
    assert top - 1 <= after[1] <= before[1] + 1, (before, after, top)


def test_heat_map_keeps_names_and_headers_in_view_while_scrolling(page):
    manager = person("manager")
    sign_in(page, manager["email"], DEMO_PASSWORD)
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto(TEAM_MAP)
    box = page.locator(".heat-scroll")
    first = page.locator("#heat-map tbody th").first
    header = page.locator("#heat-map thead .heat-head").first
    before = (first.bounding_box()["x"], header.bounding_box()["y"])
    box.evaluate("e => { e.scrollLeft = 400; e.scrollTop = 200; }")
    assert box.evaluate("e => e.scrollLeft") > 0, "the map is wider than the window"
    after = (first.bounding_box()["x"], header.bounding_box()["y"])
    assert_stuck(before, after, box)

    # Short names in the header; the full name appears on focus.
    link = header.locator("a")
    full = header.locator(".heat-full")
    assert full.bounding_box()["width"] <= 1
    link.focus()
    assert full.bounding_box()["width"] > 20
    assert len(full.inner_text()) >= len(header.locator(".heat-short").inner_text())


def test_phone_header_has_the_design_systems_menu_button(page):
    employee = person("employee")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, employee["email"], DEMO_PASSWORD)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator("nav.navigation-menu")).to_be_hidden()
    screenshot(page, "phone-dashboard")

    menu.click()
    drawer = page.locator("nav.mobile-drawer")
    expect(drawer).to_be_visible()
    screenshot(page, "phone-menu")
    drawer.get_by_role("link", name="Kursuskatalog").click()
    page.wait_for_url("**/kurser**")
    expect(drawer).to_be_hidden()


def test_the_phone_menu_stays_out_of_a_page_whose_stylesheets_have_not_loaded(page):
    """A page is read while its stylesheets load (a slow line, or a click that
    lands mid-navigation): the drawer's copy of the menu must not show as a
    second menu then."""
    employee = person("employee")
    sign_in(page, employee["email"], DEMO_PASSWORD)
    page.route("**/*.css", lambda route: route.abort())
    page.goto("/")
    expect(page.get_by_role("navigation", name="Mobilmenu")).to_be_hidden()
    assert page.get_by_role("link", name="Kursuskatalog").count() == 1


PHONE_PAGES = {
    "employee": [
        "/",
        "/kurser/",
        "/kompetencer/vurdering/profil",
        "/kompetencer/vurdering/selv",
        "/forslag",
        "/tilmeldinger/",
        "/driftsstatus",
    ],
    "manager": ["/", TEAM_MAP],
}


@pytest.mark.parametrize("role", sorted(PHONE_PAGES))
def test_pages_fit_320_px_without_scrolling_sideways(page, role):
    someone = person(role)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, someone["email"], DEMO_PASSWORD)
    too_wide = {}
    for path in PHONE_PAGES[role]:
        response = page.goto(path)
        assert response.ok, path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
        name = path.strip("/").replace("/", "-") or "home"
        screenshot(page, f"phone-320-{role}-{name}")
    assert too_wide == {}
