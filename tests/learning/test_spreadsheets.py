"""Spreadsheets both ways: every export that has an import reads back through
that import as nothing changed, in CSV and in Excel, and a file as Danish Excel
saves it (semicolons, Windows-1252 or UTF-8 with or without a BOM) is read."""

import base64
import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from core.db import db
from learning.competences.models import (
    Area,
    Competence,
    Profile,
    Requirement,
    ScaleLevel,
)
from learning.matching.models import CourseCompetence
from tests.courses.bookings.factories import make_course

FRAMEWORK = "/kompetencer/ramme"
LINKS = "/kompetencer/kurser"
# Text that breaks naive spreadsheet code: separators, quotes, a line break,
# Danish letters, and cells a spreadsheet would run as formulas.
LEVELS = ("Ingen", "Kende", "Kunne", "Beherske", "Ekspert")
AWKWARD = 'Æbler; pærer, "øl"\nog så videre'


def _upload(client, base: str, body: bytes, name: str):
    return client.post(
        f"{base}/import",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )


def _apply(client, base: str, body: bytes, fmt: str):
    payload = base64.b64encode(body).decode()
    return client.post(f"{base}/import/anvend", data={"payload": payload, "fmt": fmt})


def _framework_state():
    """Everything the framework's files carry: the scale, areas, competences,
    profiles and their requirements, as the database holds them."""

    def rows(model, *order):
        return db.session.scalars(sa.select(model).order_by(*order)).all()

    return {
        "levels": [
            (lv.value, lv.label, lv.description)
            for lv in rows(ScaleLevel, ScaleLevel.value)
        ],
        "areas": [
            (a.code, a.title, a.title_en, a.description) for a in rows(Area, Area.code)
        ],
        "competences": [
            (c.code, c.title, c.title_en, c.description, c.kind, c.layer)
            + (c.area.code, c.source, c.retired)
            for c in rows(Competence, Competence.code)
        ],
        "profiles": [
            (p.key, p.title, p.title_en, p.description, p.basic)
            for p in rows(Profile, Profile.key)
        ],
        "requirements": sorted(
            (r.profile.key, r.competence.code, r.target, r.priority)
            for r in rows(Requirement, Requirement.id)
        ),
    }


def _links_state():
    rows = db.session.scalars(sa.select(CourseCompetence))
    return sorted((x.course.title, x.competence.code, x.level) for x in rows)


@pytest.fixture
def awkward_framework(small_framework):
    """Text that spreadsheets and CSV get wrong, in every kind of row."""
    first, second, third = small_framework.competences[:3]
    first.title, first.description = "=SUM(A1:A2) ikke en formel", AWKWARD
    second.title_en = "-1 level, +2 @home"
    third.title, third.source = "'-citat fra loven", "'=ikke en formel"
    area = first.area
    area.title_en, area.description = 'Law; and "order"', AWKWARD
    level = db.session.scalars(sa.select(ScaleLevel).order_by(ScaleLevel.value)).first()
    level.description = '+ mere; end "ingen"'
    profile = Profile(
        key="rådgiver-1", title="Rådgiver; ny", title_en="Adviser", description=AWKWARD
    )
    db.session.add(profile)
    db.session.flush()
    db.session.add_all(
        Requirement(profile=profile, competence=c, target=t, priority=p)
        for c, t, p in ((first, 3, 3), (second, 2, 1))
    )
    db.session.commit()
    return small_framework


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_framework_export_reads_back_as_nothing_changed(
    client, login_as, awkward_framework, fmt
):
    login_as("coordinator")
    before = _framework_state()
    assert len(before["requirements"]) >= 2
    exported = client.get(f"{FRAMEWORK}/eksport.{fmt}")
    assert exported.status_code == 200
    preview = _upload(client, FRAMEWORK, exported.data, f"ramme.{fmt}")
    assert preview.status_code == 200, preview.text
    assert 'id="import-changes"' not in preview.text  # nothing new, nothing changed
    assert _apply(client, FRAMEWORK, exported.data, fmt).status_code == 302
    assert _framework_state() == before
    assert client.get(f"{FRAMEWORK}/eksport.{fmt}").data == exported.data or (
        fmt == "xlsx"  # a workbook's zip carries its time of writing
    )
    # Read into a fresh database, the file makes the same framework.
    for model in (Requirement, Profile, Competence, Area):
        db.session.execute(sa.delete(model))
    db.session.commit()
    assert _apply(client, FRAMEWORK, exported.data, fmt).status_code == 302
    assert _framework_state() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_course_links_export_reads_back_as_nothing_changed(
    client, login_as, small_framework, fmt
):
    course = make_course(title='=Kursus; "med", æøå')
    quoted = make_course(title="'-Kursus' med citat")
    links = zip(
        (course, course, quoted), small_framework.competences, (1, 3, 2), strict=False
    )
    for linked, competence, level in links:
        db.session.add(
            CourseCompetence(
                course_id=linked.id, competence_id=competence.id, level=level
            )
        )
    db.session.commit()
    login_as("coordinator")
    before = _links_state()
    exported = client.get(f"{LINKS}/eksport.{fmt}")
    preview = _upload(client, LINKS, exported.data, f"koblinger.{fmt}")
    assert preview.status_code == 200, preview.text
    assert (
        '<tr data-action="unchanged"><th scope="row">Uændrede koblinger</th><td>3'
        in (preview.text)
    )
    assert _apply(client, LINKS, exported.data, fmt).status_code == 302
    assert _links_state() == before


def test_the_framework_exports_are_for_danish_excel(
    client, login_as, awkward_framework
):
    login_as("coordinator")
    as_csv = client.get(f"{FRAMEWORK}/eksport.csv")
    assert as_csv.data.startswith("\ufeff".encode())
    text = as_csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("type;code;title;title_en;")
    assert "'=SUM(A1:A2) ikke en formel" in text  # Excel runs no formula
    as_xlsx = client.get(f"{FRAMEWORK}/eksport.xlsx")
    sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
    titles = [row[2] for row in sheet.iter_rows(values_only=True)]
    assert "=SUM(A1:A2) ikke en formel" in titles
    assert client.get(f"{FRAMEWORK}/eksport.pdf").status_code == 404


DANISH_ROWS = [
    [
        "type",
        "code",
        "title",
        "title_en",
        "description",
        "kind",
        "layer",
        "area",
        "source",
    ],
    *(["level", str(n), label] for n, label in enumerate(LEVELS)),
    ["area", "ØK", "Økonomi og år", "Finance"],
    ["competence", "ØK-1", 'Kan læse et budget, også "små"', "Budgets"]
    + ["Tal, æøå; mere", "viden", "grundlæggende", "ØK", "003"],
]


def _csv(delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(DANISH_ROWS)
    return out.getvalue()


@pytest.mark.parametrize(
    "body",
    [
        _csv(";").encode("cp1252"),  # 'CSV (semikolonsepareret)'
        "\ufeff".encode() + _csv(";").encode(),  # 'CSV UTF-8 (kommasepareret)'
        _csv(";").encode(),  # UTF-8 without a BOM, from another program
        _csv(",").encode("cp1252"),
        "\ufeff".encode() + _csv(",").encode(),
    ],
    ids=["cp1252", "utf8-bom", "utf8", "cp1252-commas", "utf8-bom-commas"],
)
def test_a_framework_as_danish_excel_saves_it_is_imported(client, login_as, app, body):
    login_as("coordinator")
    preview = _upload(client, FRAMEWORK, body, "ramme.csv")
    assert preview.status_code == 200, preview.text
    assert _apply(client, FRAMEWORK, body, "csv").status_code == 302
    competence = db.session.scalar(sa.select(Competence))
    assert (competence.code, competence.title) == (
        "ØK-1",
        'Kan læse et budget, også "små"',
    )
    assert competence.description == "Tal, æøå; mere"
    assert competence.area.title == "Økonomi og år"


def test_an_unreadable_framework_workbook_is_refused_in_danish(client, login_as, app):
    login_as("coordinator")
    response = _upload(client, FRAMEWORK, b"PK\x03\x04 not a workbook", "ramme.xlsx")
    assert response.status_code == 400
    assert "filen er ikke en Excel-projektmappe" in response.text


def test_the_participant_list_downloads_as_csv_and_excel(
    client, create_user, login_as, app
):
    from courses.bookings.models import Booking, BookingStatus
    from tests.courses.bookings.factories import make_session

    cs = make_session()
    person = create_user(name="Søren Ærø")
    db.session.add(
        Booking(
            user=person,
            course_session=cs,
            status=BookingStatus.confirmed,
            budget_year=cs.starts_at.year,
            price=0,
        )
    )
    db.session.commit()
    login_as("admin")
    as_csv = client.get(f"/hold/{cs.id}/deltagere.csv")
    assert as_csv.data.startswith("\ufeff".encode())
    assert "Søren Ærø" in as_csv.data.decode("utf-8-sig").splitlines()[1].split(";")
    as_xlsx = client.get(f"/hold/{cs.id}/deltagere.xlsx")
    sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
    assert [r[0] for r in sheet.iter_rows(values_only=True)] == ["Navn", "Søren Ærø"]
    assert client.get(f"/hold/{cs.id}/deltagere.pdf").status_code == 404
