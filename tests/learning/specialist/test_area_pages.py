"""The area and function pages: what the area covers, who staffs it, the key
persons by jobcentre, the upcoming sessions of the courses linked to it and its
published items, in a fixed number of queries; and the area's Atom feed, which
feedparser reads without complaint."""

import re
from datetime import timedelta

import feedparser
import pytest

from core import clock
from core.db import db
from core.people.models import SpecialistArea
from learning.specialist.models import AreaCourse
from tests.courses.catalogue.factories import make_course, make_session

pytestmark = pytest.mark.usefixtures("app")


def test_the_area_page_shows_staff_key_persons_sessions_and_items(
    client, login_as, knowledge
):
    course = make_course(title="EURES-seminar for nøglepersoner")
    make_session(course, days=(20,))
    db.session.add(
        AreaCourse(
            area=SpecialistArea.eures, course=course, function_id=knowledge.function.id
        )
    )
    db.session.commit()
    knowledge.item("staff", publish=True, title="Nyt fra EURES Nordjylland")
    login_as(knowledge.people["colleague"])
    page = client.get("/specialomraader/eures/").get_data(as_text=True)
    for text in (
        "International jobformidling",  # what the area covers
        "EURES Nordjylland",
        "eures@nord.demo.dk",
        "Søs Specialist",  # its staff
        "Jobcenter Aalborg",
        "Malene Kragh",  # a key person
        "Søren Ørsted",
        "EURES-seminar for nøglepersoner",
        "Nyt fra EURES Nordjylland",
        "/specialomraader/eures/feed.atom",
    ):
        assert text in page, text
    # Rikke is key person for disability, not EURES.
    assert "Rikke Johansen" not in page
    function = client.get(f"/specialomraader/funktion/{knowledge.function.id}")
    assert function.status_code == 200
    assert "EURES-seminar for nøglepersoner" in function.get_data(as_text=True)
    index = client.get("/specialomraader/").get_data(as_text=True)
    assert "EURES Nordjylland" in index


def test_a_jobcentre_without_a_key_person_shows(client, login_as, knowledge):
    login_as(knowledge.people["colleague"])
    page = client.get("/specialomraader/handicap/").get_data(as_text=True)
    assert "1 af 2 jobcentre mangler en nøgleperson." in page
    assert "Rikke Johansen" in page


def test_the_area_page_reads_a_fixed_number_of_queries(
    client, login_as, knowledge, count_queries
):
    login_as(knowledge.people["staff"])
    # One of each list to begin with: a list's eager loads run only when it has rows.
    knowledge.item("key", publish=True)
    knowledge.item("other_key", title="Kladde")
    with count_queries() as few:
        assert client.get("/specialomraader/eures/").status_code == 200
    for n in range(6):
        knowledge.item("other_key", publish=True, title=f"Nyhed {n}")
        knowledge.item("key", title=f"Kladde {n}")
    with count_queries() as many:
        assert client.get("/specialomraader/eures/").status_code == 200
    extra = [s[:160] for s in many if s not in few]
    assert len(many) == len(few), extra


def test_the_area_page_pages_its_published_items_and_lists_the_rest(
    app, client, login_as, knowledge, travel, monkeypatch
):
    """The published items newest first, a page at a time; the drafts and
    archived items the person may see below them on every page, the newest
    change first: all of the area's for its staff, a key person's own."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    start = clock.now()
    ours = {"function_id": knowledge.function.id}
    for hours, (who, title, publish, fields) in enumerate(
        [
            ("key", "Udgivet først", True, {}),
            ("key", "Malenes kladde", False, {}),
            ("other_key", "Udgivet som nummer to", True, {}),
            ("other_key", "Sørens kladde", False, {}),
            ("staff", "Udgivet sidst", True, ours),
        ]
    ):
        travel(start + timedelta(hours=hours))
        knowledge.item(who, publish=publish, title=title, **fields)
    travel(start + timedelta(hours=6))

    def shown(url: str) -> list[str]:
        page = client.get(url).get_data(as_text=True)
        return re.findall(r'/specialomraader/viden/\d+">([^<]+)</a>', page)

    login_as(knowledge.people["staff"])
    assert shown("/specialomraader/eures/") == [
        "Udgivet sidst",
        "Udgivet som nummer to",
        "Sørens kladde",
        "Malenes kladde",
    ]
    assert shown("/specialomraader/eures/?page=2") == [
        "Udgivet først",
        "Sørens kladde",
        "Malenes kladde",
    ]
    assert "Side 2 af 2" in client.get("/specialomraader/eures/?page=2").text
    assert shown("/specialomraader/eures/?page=3") == [
        "Sørens kladde",
        "Malenes kladde",
    ]
    login_as(knowledge.people["key"])
    assert shown("/specialomraader/eures/?page=2") == [
        "Udgivet først",
        "Malenes kladde",
    ]
    # A function's page: its own published items, the area's drafts as before.
    login_as(knowledge.people["staff"])
    function = f"/specialomraader/funktion/{knowledge.function.id}"
    assert shown(function) == ["Udgivet sidst", "Sørens kladde", "Malenes kladde"]


def test_the_feed_is_read_by_a_feed_reader(client, login_as, knowledge):
    knowledge.item("staff", publish=True, title="Først udgivet")
    knowledge.item("key", publish=True, title="Æble, ø og å: nyt om EURES")
    knowledge.item("key", title="Kladden kommer ikke med")
    login_as(knowledge.people["colleague"])
    answer = client.get("/specialomraader/eures/feed.atom")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "EURES: viden"
    titles = [entry.title for entry in feed.entries]
    assert set(titles) == {"Først udgivet", "Æble, ø og å: nyt om EURES"}
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/specialomraader/viden/")
        assert client.get(entry.link).status_code == 200
        assert entry.published_parsed is not None
        assert entry.updated_parsed is not None
        assert entry.author
        assert entry.id
    assert feed.feed.updated_parsed is not None
