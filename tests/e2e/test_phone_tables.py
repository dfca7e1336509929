"""At 320 px a table too wide for the phone scrolls inside itself; its words are
never broken letter by letter to squeeze it in (issue 15: the team page's table of
assessments read 'S/e/l/v/v/u/r/d/e/r/i/n/g' down a column one letter wide)."""

import pytest

from core.people.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_pages_on_screen import PHONE_PAGES, person, screenshot

pytestmark = pytest.mark.e2e

# Words in table cells drawn on more lines than the cell has words: a word broken.
_BROKEN_WORDS = """() => {
  const broken = [];
  document.querySelectorAll("main table th, main table td").forEach((cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = node.textContent.trim()
        .split(/[\\s\\-\\u2010\\u2013\\/]+/).filter(Boolean);
      if (!words.length || node.parentElement.closest(".sr-only, .heat-full")) {
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set(
        [...range.getClientRects()]
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top))
      );
      if (lines.size > words.length) {
        broken.push(node.textContent.trim());
      }
    }
  });
  return broken;
}"""


@pytest.mark.parametrize("role", sorted(PHONE_PAGES))
def test_tables_at_320_px_scroll_instead_of_breaking_words(page, role):
    someone = person(role)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, someone["email"], DEMO_PASSWORD)
    broken, too_wide = {}, {}
    for path in PHONE_PAGES[role]:
        page.goto(path)
        found = page.evaluate(_BROKEN_WORDS)
        if found:
            broken[path] = found[:5]
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    screenshot(page, f"phone-320-tables-{role}")
    assert broken == {}
    assert too_wide == {}


MORE_PAGES = {
    "employee": "/planer",  # and on to the first plan
    "manager": "/tilmeldinger/godkendelser",
}


@pytest.mark.parametrize("role", sorted(MORE_PAGES))
def test_figures_and_cards_fit_320_px(page, role):
    """A plan's figures and the approval inbox's booking cards: grids sized to
    their longest label made these pages 361 and 411 px wide."""
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, person(role)["email"], DEMO_PASSWORD)
    page.goto(MORE_PAGES[role])
    if role == "employee":
        plan = page.evaluate(
            "() => [...document.querySelectorAll('main a')].map(a =>"
            " a.getAttribute('href')).find(h => /^\\/planer\\/\\d+$/.test(h))"
        )
        page.goto(plan)
        page.wait_for_selector(".plan-figures")
    else:
        page.wait_for_selector(".booking-card")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    screenshot(page, f"phone-320-figures-{role}")
