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
      const words = node.textContent.trim().split(/\\s+/).filter(Boolean);
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
