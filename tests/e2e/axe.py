"""axe-core in the browser: the WCAG 2.1 A and AA rules it can check on a
rendered page (contrast, computed names, ARIA), as a list of readable problems."""

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN_AXE = """async (tags) => {
  // Only the violations are read: axe then keeps one node of each passed or
  // inapplicable rule instead of all of them (a fifth of its time per page).
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    where: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def with_axe(context) -> None:
    """Give every page of `context` axe-core as it loads: a walk over many pages
    sends and compiles the 0.5 MB script once, not once per page."""
    context.add_init_script(script=_axe_source())


def violations(page) -> list[str]:
    # Run through the DevTools protocol rather than a <script> tag: the page's
    # Content-Security-Policy refuses inline scripts, and the tests keep it on.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate("() => {\n" + _axe_source() + "\n}")
    found = page.evaluate(_RUN_AXE, WCAG_21_AA)
    path = urlsplit(page.url).path
    return [
        f"{path}: {v['id']} ({v['impact']}) {v['help']} at {v['where']}" for v in found
    ]
