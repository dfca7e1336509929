"""The page policy as Chromium enforces it: what it refuses does not run, and the
refusal is seen by every browser test (the `page` fixture fails on one)."""

import pytest

from tests.e2e.conftest import _note_refusal

pytestmark = pytest.mark.e2e

INJECTED = """<!doctype html><html lang="da"><head><title>Prøve</title></head><body>
<h1>Prøve</h1>
<script>window.ran = "inline";</script>
<img src="x" alt="" onerror="window.ran = 'handler'">
</body></html>"""


def test_an_inline_script_in_a_page_does_not_run_and_is_reported(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    refused = []
    context.on("console", lambda message: _note_refusal(message, refused))
    page = context.new_page()
    policy = page.goto("/log-ind").headers["content-security-policy"]
    # Markup that slipped past escaping, served with the app's own policy.
    page.route(
        "**/proeve",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body=INJECTED,
        ),
    )
    page.goto("/proeve")
    page.wait_for_load_state("load")
    assert page.evaluate("window.ran") is None
    context.close()
    assert any("inline script" in text for text in refused), refused


def test_the_apps_own_scripts_run_under_the_policy(page):
    """The early script marks the page as having JavaScript; the design system's
    menu is exercised under the same policy by test_pages_on_screen."""
    page.goto("/log-ind")
    assert page.evaluate("document.documentElement.className") == "js"
