"""A private feed address per person, for feed readers that cannot sign in:
made and replaced from the area page, read by feedparser without a session,
404 once replaced or stopped or when the owner's account is closed; the
signed-in feed still needs a session."""

import re

import feedparser
import pytest

from core.db import db

pytestmark = pytest.mark.usefixtures("app")

ADDRESS = re.compile(r'id="private-feed"[^>]*value="([^"]+)"')


def _address(client, slug: str = "eures") -> str | None:
    page = client.get(f"/specialomraader/{slug}/").get_data(as_text=True)
    found = ADDRESS.search(page)
    return found.group(1) if found else None


def test_a_feed_reader_reads_the_private_address_without_signing_in(
    app, client, login_as, knowledge
):
    knowledge.item("key", publish=True, title="Æble, ø og å: nyt om EURES")
    knowledge.item("key", title="Kladden kommer ikke med")
    login_as(knowledge.people["colleague"])
    page = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert "Følg området i en feedlæser" in page
    assert _address(client) is None
    made = client.post("/specialomraader/eures/feedadresse")
    assert made.status_code == 302
    address = _address(client)
    assert address.startswith("http://localhost/specialomraader/eures/feed/")
    assert 'for="private-feed"' in client.get("/specialomraader/eures/").get_data(
        as_text=True
    )

    reader = app.test_client()  # no session: a feed reader
    assert reader.get("/specialomraader/eures/feed.atom").status_code == 302
    answer = reader.get(address)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/atom+xml")
    assert "no-store" in answer.headers["Cache-Control"]
    feed = feedparser.parse(answer.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "EURES: viden"
    assert [e.title for e in feed.entries] == ["Æble, ø og å: nyt om EURES"]
    assert any(link.rel == "self" and link.href == address for link in feed.feed.links)
    # The same secret reads every area's feed.
    other = address.replace("/eures/", "/handicap/")
    assert feedparser.parse(reader.get(other).data).feed.title == "Handicap: viden"


def test_a_new_address_or_stopping_ends_the_old_one(app, client, login_as, knowledge):
    login_as(knowledge.people["colleague"])
    client.post("/specialomraader/eures/feedadresse")
    first = _address(client)
    reader = app.test_client()
    client.post("/specialomraader/eures/feedadresse")
    second = _address(client)
    assert second != first
    assert reader.get(first).status_code == 404
    assert reader.get(second).status_code == 200
    page = client.post("/specialomraader/eures/feedadresse/stop", follow_redirects=True)
    assert "Dine private feedadresser virker ikke længere." in page.get_data(
        as_text=True
    )
    assert _address(client) is None
    assert reader.get(second).status_code == 404


def test_a_closed_account_or_a_wrong_secret_opens_nothing(
    app, client, login_as, knowledge
):
    person = knowledge.people["colleague"]
    login_as(person)
    client.post("/specialomraader/eures/feedadresse")
    address = _address(client)
    reader = app.test_client()
    for wrong in ("x", "a" * 65, "ingen-adgang", address.rsplit("/", 1)[1][:-6] + "x"):
        assert (
            reader.get(f"/specialomraader/eures/feed/{wrong}.atom").status_code == 404
        )
    person.active = False
    db.session.commit()
    assert reader.get(address).status_code == 404
