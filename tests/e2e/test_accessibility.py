"""In Chromium: axe-core checks the pages each demo role reaches against WCAG 2.1
A and AA. The HTML crawl (tests/test_crawl.py) checks structure; contrast, focus
order and names computed from the rendered page need a browser that lays the page
out and paints it."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from core.people.demo import DEMO_PASSWORD, load_demo_data
from tests.e2e.axe import violations
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

ROLES = [
    "anonymous",
    "employee",
    "manager",
    "coordinator",
    "provider",
    "admin",
    "keyperson",
    "region-adviser",
]
# One page of each kind (/kurser/12 and /kurser/13 are the same template).
MAX_KINDS = 40
SKIP = ("/log-ud", "/static/", "/sprog/", "/healthz")


def kind_of(path: str) -> str:
    """/kurser/12?side=2 and /kurser/13 are one kind of page."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


def local_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(urldefrag(href)[0])
        path = parts.path
        if parts.netloc != urlsplit(page.url).netloc or path.startswith(SKIP):
            continue
        if path.endswith((".ics", ".csv", ".xlsx", ".json")):
            continue
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_pages_each_role_reaches_meet_wcag_21_aa(page, live_server, role):
    if role != "anonymous":
        person = next(p for p in load_demo_data()["people"] if p["key"] == role)
        sign_in(page, person["email"], DEMO_PASSWORD)

    kinds, queue, problems = {kind_of("/")}, deque(["/"]), []
    while queue:
        path = queue.popleft()
        response = page.goto(path)
        assert response is not None, path
        assert response.ok, f"{path}: {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        problems += violations(page)
        for link in local_links(page):
            if kind_of(link) not in kinds and len(kinds) < MAX_KINDS:
                kinds.add(kind_of(link))
                queue.append(link)

    assert len(kinds) > (1 if role == "anonymous" else 3)
    assert problems == []


def test_a_form_showing_its_errors_meets_wcag_21_aa(page, live_server):
    page.goto("/log-ind")
    page.get_by_label("E-mail").fill("ikke-en-adresse")
    page.get_by_role("button", name="Log ind").click()
    page.locator(".form-error-message, .alert-error").first.wait_for()

    assert violations(page) == []
