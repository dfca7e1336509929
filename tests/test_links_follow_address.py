"""With no BASE_URL set, the links in feeds name the address the app was reached
at (issue 15: they named http://127.0.0.1:5000, which no one outside the
developer's machine can open); with BASE_URL set, it wins. Mails: see
tests/core/notifications/test_outbox.py."""

import re

import pytest

from core.db import db
from tests.courses.catalogue import factories

REACHED = "https://kompetence.jobcenter.dk"


@pytest.fixture
def feed(app):
    provider = factories.make_provider(name="COK")
    course = factories.make_course(provider, title="Samtaler med unge")
    factories.make_session(course, days=(30,))
    db.session.commit()
    return f"/kalender/udbyder/{provider.id}.ics", course


def urls(ics: str) -> list[str]:
    unfolded = ics.replace("\r\n ", "")
    return re.findall(r"^URL;VALUE=URI:(\S+)", unfolded, re.M)


def test_a_feed_links_to_the_address_it_was_read_at(client, app, feed, monkeypatch):
    path, course = feed
    monkeypatch.setitem(app.config, "BASE_URL", "")
    ics = client.get(path, base_url=REACHED).text
    assert urls(ics) == [f"{REACHED}/kurser/{course.id}"]
    assert ":5000" not in ics


def test_a_set_base_url_wins_in_feeds(client, app, feed, monkeypatch):
    path, course = feed
    monkeypatch.setitem(app.config, "BASE_URL", "https://kurser.example.dk/")
    ics = client.get(path, base_url="http://10.0.0.7:8000").text
    assert urls(ics) == [f"https://kurser.example.dk/kurser/{course.id}"]
