"""'Mine data': a person downloads everything the platform holds about them, as a
zip with a JSON and a CSV file per kind, and nothing of anyone else's."""

import csv
import io
import json
import zipfile

import pytest

from core.audit import AuditEvent
from core.db import db

# Each kind the issue names -> the table whose file holds it, and the column that
# says whose row it is.
KINDS = {
    "profile": ("users", "id"),
    "ratings": ("ratings", "person_id"),
    "evidence": ("evidence", "person_id"),
    "plans": ("plans", "owner_id"),
    "bookings": ("bookings", "user_id"),
    "notifications": ("notifications", "user_id"),
}


def download(client, login_as, person) -> zipfile.ZipFile:
    login_as(person)
    response = client.post("/mine-data")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def read_json(archive: zipfile.ZipFile, table: str) -> list[dict]:
    return json.loads(archive.read(f"persondata/{table}.json"))


def read_csv(archive: zipfile.ZipFile, table: str) -> list[dict]:
    text = archive.read(f"persondata/{table}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_page_is_linked_from_every_page_and_says_what_the_copy_holds(
    client, login_as, team
):
    login_as(team.soeren.person)
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/mine-data"' in dashboard
    page = client.get("/mine-data").get_data(as_text=True)
    assert "<h1>Mine data</h1>" in page
    assert "Dine vurderinger: dine egne, din leders og de aftalte niveauer." in page
    assert "Hent mine data (zip)" in page


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_holds_the_persons_rows_and_no_one_elses(
    client, login_as, team, kind
):
    table, whose = KINDS[kind]
    soeren = team.soeren.person
    archive = download(client, login_as, soeren)
    rows = read_json(archive, table)
    assert rows
    assert {row[whose] for row in rows} == {soeren.id}
    # The spreadsheet holds the same rows as the program's file.
    spreadsheet = read_csv(archive, table)
    assert [row[whose] for row in spreadsheet] == [str(soeren.id)] * len(rows)


def test_the_persons_own_texts_are_in_the_copy(client, login_as, team):
    archive = download(client, login_as, team.soeren.person)
    everything = "".join(
        archive.read(name).decode("utf-8-sig") for name in archive.namelist()
    )
    for text in team.soeren.texts:
        assert json.dumps(text, ensure_ascii=False) in everything
    # The spreadsheet reads Danish: Copenhagen time, æøå intact.
    [booking] = read_csv(archive, "bookings")
    assert booking["decision_comment"] == team.soeren.decision


def test_nothing_of_a_colleagues_data_is_in_the_copy(client, login_as, team):
    archive = download(client, login_as, team.soeren.person)
    everything = "".join(
        archive.read(name).decode("utf-8-sig") for name in archive.namelist()
    )
    anna = team.anna
    for text in (anna.person.name, anna.person.email, *anna.texts):
        assert text not in everything


def test_audit_events_are_those_by_or_about_the_person(client, login_as, team):
    soeren = team.soeren.person
    archive = download(client, login_as, soeren)
    events = read_json(archive, "audit_events")
    ids = {event["id"] for event in events}
    own_booking = [e for e in events if e["object_type"] == "bookings"]
    assert {e["object_id"] for e in own_booking} == {team.soeren.booking.id}
    # The manager's rating of Søren is about him, so it is in his copy.
    by_manager = [e for e in events if e["actor_id"] == team.manager.id]
    assert {e["action"] for e in by_manager} >= {"assessment.manager"}
    # Nothing the platform recorded about Anna's data is.
    about_anna = db.session.scalars(
        db.select(AuditEvent.id).where(
            AuditEvent.object_type == "bookings",
            AuditEvent.object_id == team.anna.booking.id,
        )
    ).all()
    assert about_anna
    assert ids.isdisjoint(about_anna)


def test_the_read_me_is_danish_and_names_each_file(client, login_as, team):
    archive = download(client, login_as, team.soeren.person)
    read_me = archive.read("persondata/laes-mig.txt").decode("utf-8")
    assert "En kopi af dine data i Kompetence og kurser" in read_me
    assert "Person: Søren Ærø <soeren.aeroe@jobcenter.dk>" in read_me
    for table, _whose in KINDS.values():
        assert f"{table} (" in read_me
        assert f"persondata/{table}.json" in archive.namelist()
        assert f"persondata/{table}.csv" in archive.namelist()


def test_the_copy_leaves_secrets_out(client, login_as, team):
    archive = download(client, login_as, team.soeren.person)
    [profile] = read_json(archive, "users")
    assert "password_hash" not in profile
    assert profile["name"] == "Søren Ærø"


def test_taking_the_copy_is_audited(client, login_as, team):
    soeren = team.soeren.person
    download(client, login_as, soeren)
    taken = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "personal_data.copied")
    ).all()
    assert [(e.actor_id, e.object_id) for e in taken] == [(soeren.id, soeren.id)]


def test_an_administrator_takes_the_copy_for_a_person(client, login_as, team):
    login_as("admin")
    response = client.post(f"/admin/brugere/{team.anna.person.id}/persondata")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {row["user_id"] for row in read_json(archive, "bookings")} == {
        team.anna.person.id
    }


def test_a_colleague_cannot_take_someone_elses_copy(client, login_as, team):
    login_as(team.soeren.person)
    response = client.post(f"/admin/brugere/{team.anna.person.id}/persondata")
    assert response.status_code == 403
