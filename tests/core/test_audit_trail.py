"""The administrator's audit trail page: filters, export, bad input, queries."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core import clock
from core.audit import AuditEvent, record
from core.db import db
from core.people.models import Role
from tests.conftest import counting_queries


@pytest.fixture
def trail(login_as, create_user):
    """An administrator signed in, and a few events by two people: one ten days
    ago, two within the last hour."""
    admin = login_as(Role.admin)
    ayse = create_user(name="Ayşe Ærø Østergård", email="ayse@jobcenter.demo.dk")
    bo = create_user(name="Bo Berg", email="bo@jobcenter.demo.dk")
    db.session.execute(sa.delete(AuditEvent))  # the accounts' own creation
    now = clock.now()
    record(ayse, "booking.request", bo, after={"status": "requested"}).at = (
        now - timedelta(days=10)
    )
    record(
        bo,
        "plan.approve",
        bo,
        before={"state": "submitted"},
        after={"state": "approved"},
    ).at = now - timedelta(minutes=2)
    record(
        admin, "budget.set", admin, after={"amount": "250000.00"}, reason="Nyt år"
    ).at = now - timedelta(minutes=1)
    db.session.commit()
    today = clock.local_date(now - timedelta(minutes=2))
    return {"admin": admin, "ayse": ayse, "bo": bo, "today": today}


def test_the_trail_lists_every_event_newest_first(client, trail):
    page = client.get("/admin/revisionsspor").get_data(as_text=True)

    assert "3 hændelser" in page
    rows = [
        page.index(f"<code>{action}</code>")
        for action in ("budget.set", "plan.approve", "booking.request")
    ]
    assert rows == sorted(rows)
    assert "state: submitted" in page
    assert "state: approved" in page
    assert "Nyt år" in page


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ("person=%C3%A6r%C3%B8", {"booking.request"}),  # "ærø": the actor, lower case
        (
            "person=bo%40jobcenter",
            {"booking.request", "plan.approve"},
        ),  # actor or object
        ("action=plan.approve", {"plan.approve"}),
        ("object_type=users", {"booking.request", "plan.approve", "budget.set"}),
    ],
)
def test_the_trail_filters_by_person_object_and_action(client, trail, query, actions):
    page = client.get(f"/admin/revisionsspor?{query}").get_data(as_text=True)

    shown = {
        a
        for a in ("booking.request", "plan.approve", "budget.set")
        if f"<code>{a}</code>" in page
    }
    assert shown == actions


def test_the_trail_filters_by_period_in_danish_dates(client, trail):
    today = trail["today"]
    since = (today - timedelta(days=1)).strftime("%d.%m.%Y")
    page = client.get(f"/admin/revisionsspor?starts_on={since}").get_data(as_text=True)
    assert "2 hændelser" in page
    assert "<code>booking.request</code>" not in page

    until = (today - timedelta(days=5)).isoformat()
    page = client.get(f"/admin/revisionsspor?ends_on={until}").get_data(as_text=True)
    assert "1 hændelse" in page
    assert "<code>booking.request</code>" in page


def test_the_trail_filters_by_object_number(client, trail):
    bo = trail["bo"]
    page = client.get(
        f"/admin/revisionsspor?object_type=users&object_id={bo.id}"
    ).get_data(as_text=True)
    assert "2 hændelser" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("object_id=abc", "Skriv et helt tal fra 1 til 2.147.483.647"),
        ("starts_on=32.13.2026", "Ikke en gyldig dato"),
        ("starts_on=2026-05-02&ends_on=2026-05-01", "Perioden skal slutte"),
        ("action=no.such.action", "Ikke et gyldigt valg"),
    ],
)
def test_a_bad_filter_is_told_in_danish(client, trail, query, message):
    response = client.get(f"/admin/revisionsspor?{query}")

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_export_holds_the_filtered_events_as_danish_excel_opens_them(client, trail):
    response = client.get("/admin/revisionsspor/eksport.csv?action=plan.approve")

    assert response.status_code == 200
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Tidspunkt (UTC)", "Person", "E-mail", "Handling"]
    assert [row[3] for row in rows[1:]] == ["plan.approve"]
    assert rows[1][1] == "Bo Berg"
    assert rows[1][7] == "state: approved"


def test_the_excel_export_opens(client, trail):
    from openpyxl import load_workbook

    response = client.get("/admin/revisionsspor/eksport.xlsx")

    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.max_row == 4
    assert {sheet.cell(row, 4).value for row in range(2, 5)} == {
        "booking.request",
        "plan.approve",
        "budget.set",
    }


def test_the_page_reads_a_fixed_number_of_queries(client, trail, create_user):
    def count() -> int:
        with counting_queries() as statements:
            assert client.get("/admin/revisionsspor").status_code == 200
        return len(statements)

    few = count()
    for _ in range(40):
        person = create_user()
        record(person, "booking.request", person)
    db.session.commit()
    assert count() == few


def test_only_administrators_see_the_trail(client, login_as):
    login_as(Role.coordinator)
    assert client.get("/admin/revisionsspor").status_code == 403
    assert client.get("/admin/revisionsspor/eksport.csv").status_code == 403


def test_searches_fold_danish_letters_on_every_database(client, login_as, create_user):
    """SQLite's own lower() leaves Æ, Ø and Å alone; the app's folds them."""
    login_as(Role.admin)
    create_user(name="Søren Ærø Åberg")

    page = client.get("/admin/brugere?q=s%C3%B8ren%20%C3%A6r%C3%B8").get_data(
        as_text=True
    )

    assert "Søren Ærø Åberg" in page
