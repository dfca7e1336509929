"""In Chromium, every kind of page for every role: axe-core checks it against
WCAG 2.1 A and AA, it has one h1 and a skip link to its content, and the page's
Content-Security-Policy refuses nothing on it. The HTML crawl
(tests/test_crawl.py) checks structure; contrast, focus order and names computed
from the rendered page need a browser that lays the page out and paints it.

The pages come from the route map, not from following links: for each role,
every GET endpoint the permission table opens to it (tests/access/table.py),
with the objects it reaches in the access tests' world (tests/access/world.py:
the demo plus plans, bookings, imports and links the demo lacks). A new route
must have an entry there, so it is walked here as soon as it exists. A link
walk stopped at 40 kinds of page per role and never reached pages that only a
form or a redirect leads to.
"""

import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from core.db import db
from core.people.demo import DEMO_PASSWORD
from core.people.models import User
from tests.access.cases import calls_for
from tests.access.table import TABLE
from tests.access.world import PERSONAS, World
from tests.databases import postgres_url
from tests.e2e.axe import violations, with_axe
from tests.e2e.conftest import LiveServer, _note_refusal, sign_in
from wsgi import create_app

pytestmark = pytest.mark.e2e

WHOM = ("anonymous", *PERSONAS)
# What a browser downloads rather than shows; the HTML check below is what
# decides, these only spare the download dialog.
FILES = re.compile(r"(\.(ics|atom|csv|xlsx|json|zip)|/fil)(\?|$)|^/(api|scim|static)/")


@pytest.fixture(scope="module")
def world_server(tmp_path_factory) -> Iterator[tuple[LiveServer, World]]:
    """The access tests' world, served over HTTP for this module alone (it has
    more than the demo the other browser tests share, and changes nothing)."""
    url = postgres_url("e2e", "pages") or (
        f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.sqlite3'}"
    )
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "e2e-secret-key-that-is-long-enough-to-pass",
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 1000,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        world = World(app)
        world.build()
        db.session.remove()  # SQLite: no transaction of ours blocks the server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app), world
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def pages_for(app, world: World, whom: str) -> dict[str, str]:
    """Endpoint -> one address of it the table opens to `whom`."""
    person = world.personas.get(whom)
    found = {}
    for endpoint in sorted(TABLE):
        for call in calls_for(app, endpoint, person, world.password_token):
            opens = call.method == "GET" and call.expect == "open"
            if opens and not FILES.search(call.url):
                found.setdefault(endpoint, call.url)
    return found


def page_problems(page) -> list[str]:
    """One h1, and a skip link to an element that is there (on a page with a
    header or menus to skip: a print page holds its content alone)."""
    found = []
    headings = page.locator("h1").count()
    if headings != 1:
        found.append(f"{headings} h1 headings")
    if not page.locator("header, nav").count():
        return found
    skip = page.locator("a.skipnav[href^='#']")
    if skip.count() != 1:
        found.append("no skip link")
    elif page.locator(target := skip.first.get_attribute("href")).count() != 1:
        found.append(f"the skip link leads nowhere ({target})")
    return found


@pytest.mark.parametrize("whom", WHOM)
def test_every_page_of_each_role_meets_wcag_21_aa_under_the_policy(
    browser, world_server, whom
):
    server, world = world_server
    with server.app.app_context():
        pages = pages_for(server.app, world, whom)
        person = world.personas.get(whom)
        email = db.session.get(User, person.user_id).email if person else None
        db.session.remove()
    context = browser.new_context(base_url=server.url, locale="da-DK")
    refused: list[str] = []
    context.on("console", lambda message: _note_refusal(message, refused))
    with_axe(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if email:
        sign_in(page, email, DEMO_PASSWORD)
        page.wait_for_url(lambda url: "/log-ind" not in url)

    problems, shown = [], 0
    for endpoint, url in pages.items():
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            # An attachment the address pattern above did not foresee: the
            # browser downloads it and shows no page to check.
            if "Download is starting" in error.message:
                continue
            raise
        assert response is not None, url
        if response.status >= 400:
            problems.append(f"{url} ({endpoint}): {response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        shown += 1
        problems += [f"{url} ({endpoint}): {p}" for p in page_problems(page)]
        problems += violations(page)
    context.close()

    assert shown > (1 if whom == "anonymous" else 10), pages
    assert refused == [], f"Content-Security-Policy refused: {refused}"
    assert problems == []


def test_a_form_showing_its_errors_meets_wcag_21_aa(page, live_server):
    page.goto("/log-ind")
    page.get_by_label("E-mail").fill("ikke-en-adresse")
    page.get_by_role("button", name="Log ind").click()
    page.locator(".form-error-message, .alert-error").first.wait_for()

    assert violations(page) == []
