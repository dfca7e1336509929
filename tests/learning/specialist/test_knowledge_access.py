"""Who reads and writes knowledge items, per role: everyone signed in reads
published items; only the area's specialist staff and key persons write; drafts
are seen by their author and the area's staff only."""

import pytest
import sqlalchemy as sa

from core.db import db
from learning.plans.models import ActivityKind, PlanActivity
from learning.specialist.models import ItemStatus, KnowledgeItem, KnowledgeReading

pytestmark = pytest.mark.usefixtures("app")
EVERYONE = ("key", "other_key", "staff", "disability_key", "colleague", "admin")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("key", 200),  # the author
        ("staff", 200),  # the area's specialist staff
        ("other_key", 403),  # a key person of the area, not the author
        ("disability_key", 403),
        ("colleague", 403),
        ("coordinator", 403),
        ("admin", 403),
    ],
)
def test_a_draft_is_seen_by_its_author_and_the_areas_staff(
    client, login_as, knowledge, who, status
):
    draft = knowledge.item("key", title="Hemmeligt udkast")
    login_as(knowledge.people[who])
    assert client.get(f"/specialomraader/viden/{draft.id}").status_code == status
    area_page = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert ("Hemmeligt udkast" in area_page) is (status == 200)


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_signed_in_reads_a_published_item(client, login_as, knowledge, who):
    item = knowledge.item("staff", publish=True, title="Nyt om EURES-netværket")
    login_as(knowledge.people[who])
    page = client.get(f"/specialomraader/viden/{item.id}")
    assert page.status_code == 200
    assert "Nyt om EURES-netværket" in page.get_data(as_text=True)
    area_page = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert "Nyt om EURES-netværket" in area_page


def test_nobody_signed_out_reads(client, knowledge):
    item = knowledge.item("staff", publish=True)
    for url in (
        f"/specialomraader/viden/{item.id}",
        "/specialomraader/eures/",
        "/specialomraader/eures/feed.atom",
        "/specialomraader/",
    ):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer.headers["Location"].startswith("/log-ind")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("key", 200),
        ("other_key", 200),
        ("staff", 200),
        ("disability_key", 403),  # a key person of another area
        ("colleague", 403),
        ("coordinator", 403),
        ("admin", 403),
    ],
)
def test_only_the_areas_staff_and_key_persons_write(
    client, login_as, knowledge, who, status
):
    login_as(knowledge.people[who])
    assert client.get("/specialomraader/eures/ny").status_code == status
    answer = client.post(
        "/specialomraader/eures/ny",
        data={
            "kind": "guidance",
            "title": "Ny vejledning",
            "body": "Sådan gør du.",
            "competence_ids": [str(knowledge.competences[1].id)],
        },
    )
    assert answer.status_code == (302 if status == 200 else 403)
    written = db.session.scalars(sa.select(KnowledgeItem)).all()
    assert len(written) == (1 if status == 200 else 0)
    if written:
        assert written[0].status is ItemStatus.draft
        assert written[0].author_id == knowledge.people[who].id


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("key", 302),  # the author
        ("staff", 302),  # the area's staff edit every item of the area
        ("other_key", 403),
        ("colleague", 403),
        ("admin", 403),
    ],
)
def test_publishing_and_editing(client, login_as, knowledge, who, status):
    draft = knowledge.item("key")
    login_as(knowledge.people[who])
    answer = client.post(f"/specialomraader/viden/{draft.id}/publish")
    assert answer.status_code == status
    db.session.expire_all()
    published = db.session.get(KnowledgeItem, draft.id)
    assert (published.status is ItemStatus.published) is (status == 302)
    edit = client.get(f"/specialomraader/viden/{draft.id}/ret")
    assert edit.status_code == (200 if status == 302 else 403)


def test_archived_items_leave_the_area_page(client, login_as, knowledge):
    item = knowledge.item("key", publish=True, title="Forældet nyhed")
    login_as(knowledge.people["key"])
    assert client.post(f"/specialomraader/viden/{item.id}/archive").status_code == 302
    login_as(knowledge.people["colleague"])
    page = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert "Forældet nyhed" not in page
    again = client.post(f"/specialomraader/viden/{item.id}/archive")
    assert again.status_code == 403


def test_publishing_twice_is_refused_in_danish(client, login_as, knowledge):
    item = knowledge.item("key", publish=True)
    login_as(knowledge.people["key"])
    answer = client.post(f"/specialomraader/viden/{item.id}/publish")
    assert answer.status_code == 409
    assert "Indlægget er udgivet" in answer.get_data(as_text=True)


def test_a_reader_adds_a_published_item_to_the_plan(client, login_as, knowledge):
    item = knowledge.item("staff", publish=True, title="Læs om EURES")
    reader = login_as(knowledge.people["colleague"])
    answer = client.post(f"/specialomraader/viden/{item.id}/udviklingsplan")
    assert answer.status_code == 302
    activity = db.session.scalar(sa.select(PlanActivity))
    assert activity.kind is ActivityKind.reading
    assert activity.title == "Læs om EURES"
    assert activity.plan.owner_id == reader.id
    assert db.session.get(KnowledgeReading, activity.id).item_id == item.id
    page = client.get(f"/specialomraader/viden/{item.id}").get_data(as_text=True)
    assert "Indlægget står i din udviklingsplan." in page
    twice = client.post(f"/specialomraader/viden/{item.id}/udviklingsplan")
    assert twice.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(PlanActivity.id))) == 1


def test_a_draft_cannot_be_added_to_a_plan(client, login_as, knowledge):
    draft = knowledge.item("key")
    login_as(knowledge.people["key"])
    answer = client.post(f"/specialomraader/viden/{draft.id}/udviklingsplan")
    assert answer.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(PlanActivity.id))) == 0
