"""End-to-end fixtures: the app served over real HTTP with the demo data, and
Debian's chromium driven by Playwright (never a downloaded browser)."""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.serving import make_server

from core.db import db
from core.registry import registry
from tests.databases import postgres_url
from wsgi import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    url: str
    app: Flask


def _e2e_database_url(tmp_path_factory) -> str:
    """A database of its own: a SQLite file, or a sibling PostgreSQL database."""
    return postgres_url("e2e") or (
        f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite3'}"
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    app = create_app(
        {
            "DATABASE_URL": _e2e_database_url(tmp_path_factory),
            "SECRET_KEY": "e2e-secret-key-that-is-long-enough-to-pass",
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 1000,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        for _order, seeder in registry(app).seeders:
            seeder()
            db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    # A CI machine running two test workers and a browser each can take more
    # than the default five seconds to answer a page that needs a second locally.
    playwright_api.expect.set_options(timeout=15_000)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab. Every test's pages run under the app's real
    Content-Security-Policy: anything it refuses (an inline script, a design
    system component that writes a <style>) fails the test that met it."""
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    refused = []
    context.on("console", lambda message: _note_refusal(message, refused))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not refused, f"Content-Security-Policy refused: {refused}"


def _note_refusal(message, refused: list[str]) -> None:
    if "Content Security Policy" in message.text:
        refused.append(f"{message.page.url if message.page else ''}: {message.text}")


def sign_in(page, email: str, password: str) -> None:
    """Log in through the real form, as a person would, and wait for the page it
    leads to. Without the wait, a CI run clicked a link of the dashboard while
    it was still loading and nothing followed (the manager never reached
    'Teamets kompetencer' in test_assessment)."""
    page.goto("/log-ind")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
