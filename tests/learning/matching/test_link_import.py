"""Bulk course -> competence links over HTTP: Danish Excel CSV (semicolons,
Windows-1252 or UTF-8 with BOM) and .xlsx, a preview, then all or nothing."""

import base64
import io
import zipfile

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from core.db import db
from learning.matching.models import CourseCompetence
from tests.courses.bookings.factories import make_course


def _links() -> dict[tuple[str, str], int]:
    rows = db.session.scalars(sa.select(CourseCompetence))
    return {(link.course.title, link.competence.code): link.level for link in rows}


def _upload(client, body: bytes, name: str):
    return client.post(
        "/kompetencer/kurser/import",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )


def _apply(client, body: bytes, fmt: str):
    return client.post(
        "/kompetencer/kurser/import/anvend",
        data={"payload": base64.b64encode(body).decode(), "fmt": fmt},
    )


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(name: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, text)
    return out.getvalue()


def _linked(course, levels: dict, fw):
    for code, level in levels.items():
        db.session.add(
            CourseCompetence(
                course_id=course.id, competence_id=fw.by_code(code).id, level=level
            )
        )
    db.session.commit()


def test_a_windows_1252_csv_with_semicolons_is_previewed_then_applied(
    client, login_as, small_framework
):
    make_course(title="Samtaleteknik for særlige målgrupper")
    other = make_course(title="Virksomhedsbesøg på Ærø")
    _linked(other, {"S-VK1": 2, "B-A1": 2}, small_framework)
    login_as("coordinator")
    body = (
        "kursus;kompetence;niveau\r\n"
        "Samtaleteknik for særlige målgrupper;B-H1;3\r\n"
        "virksomhedsbesøg på ærø;S-VK1;3\r\n"
    ).encode("cp1252")

    preview = _upload(client, body, "koblinger.csv")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Forhåndsvisning" in html
    assert '<tr data-action="new"><th scope="row">Nye koblinger</th><td>1</td>' in html
    assert (
        '<tr data-action="changed"><th scope="row">Ændrede niveauer</th><td>1' in html
    )
    assert (
        '<tr data-action="removed"><th scope="row">Fjernede koblinger</th><td>1' in html
    )
    assert "Samtaleteknik for særlige målgrupper" in html
    assert _links() == {
        ("Virksomhedsbesøg på Ærø", "S-VK1"): 2,
        ("Virksomhedsbesøg på Ærø", "B-A1"): 2,
    }

    response = _apply(client, body, "csv")
    assert response.status_code == 302
    assert _links() == {
        ("Samtaleteknik for særlige målgrupper", "B-H1"): 3,
        ("Virksomhedsbesøg på Ærø", "S-VK1"): 3,
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 nye, 1 ændrede, 1 fjernede" in page


def test_utf8_with_bom_and_english_headers_are_read_too(
    client, login_as, small_framework
):
    make_course(title="Lovgivning – grundkursus")
    login_as("coordinator")
    body = "\ufeffCourse,Competence,Level\nLovgivning – grundkursus,b-v1,2\n".encode()
    assert _apply(client, body, "csv").status_code == 302
    assert _links() == {("Lovgivning – grundkursus", "B-V1"): 2}


def test_a_file_with_bad_rows_changes_nothing_and_names_each_row(
    client, login_as, small_framework
):
    course = make_course(title="Virksomhedskontakt")
    _linked(course, {"S-VK1": 2}, small_framework)
    login_as("coordinator")
    body = (
        "kursus;kompetence;niveau\n"
        "Virksomhedskontakt;S-VK1;3\n"
        "Findes ikke;B-V1;2\n"
        "Virksomhedskontakt;X-99;2\n"
        "Virksomhedskontakt;B-H1;7\n"
        "Virksomhedskontakt;B-A1;to\n"
        "Virksomhedskontakt;S-VK1;2\n"
        "#²;B-V1;²\n"
    ).encode()
    for response in (_upload(client, body, "k.csv"), _apply(client, body, "csv")):
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Filen blev ikke importeret. Intet er ændret." in html
        assert (
            "Række 3, kolonne kursus: &#39;Findes ikke&#39; er ikke et kursus" in html
        )
        assert (
            "Række 4, kolonne kompetence: &#39;X-99&#39; er ikke en kompetence" in html
        )
        assert "Række 5, kolonne niveau: niveauet skal være fra 1 til 4" in html
        assert "Række 6, kolonne niveau: &#39;to&#39;" in html
        assert "Række 7, kolonne kompetence:" in html
        assert "Række 8, kolonne kursus: &#39;#²&#39; er ikke et kursus" in html
        assert "Række 8, kolonne niveau: &#39;²&#39; er ikke et helt tal" in html
    assert _links() == {("Virksomhedskontakt", "S-VK1"): 2}


def test_missing_columns_and_unreadable_files_are_refused(
    client, login_as, small_framework
):
    login_as("coordinator")
    response = _upload(client, b"kursus;niveau\nA;2\n", "k.csv")
    assert response.status_code == 400
    assert "Række 1, kolonne kompetence" in response.get_data(as_text=True)
    for broken in (b"PK\x03\x04 not a workbook", _zip("[Content_Types].xml", "<x")):
        response = _upload(client, broken, "k.xlsx")
        assert response.status_code == 400
        assert "ikke en Excel-projektmappe" in response.get_data(as_text=True)
    response = _upload(client, "kursus;kompetence;niveau\n".encode("utf-16"), "k.csv")
    assert response.status_code == 400
    response = _upload(client, b"x", "k.pdf")
    assert response.status_code == 400
    bad = client.post(
        "/kompetencer/kurser/import/anvend", data={"payload": "%%%", "fmt": "csv"}
    )
    assert bad.status_code == 400


def test_ambiguous_titles_need_the_key_or_id(client, login_as, small_framework):
    first = make_course(title="Temadag")
    make_course(title="Temadag")
    login_as("coordinator")
    body = b"kursus;kompetence;niveau\nTemadag;B-V1;2\n"
    response = _upload(client, body, "k.csv")
    assert response.status_code == 400
    assert "flere kurser hedder" in response.get_data(as_text=True)
    body = f"kursus;kompetence;niveau\n#{first.id};B-V1;2\n".encode()
    assert _apply(client, body, "csv").status_code == 302
    assert _links() == {("Temadag", "B-V1"): 2}


def test_excel_export_and_import_round_trip(client, login_as, small_framework):
    course = make_course(title="Kønsligestilling i indsatsen")
    _linked(course, {"B-V1": 2, "S-VK1": 3}, small_framework)
    login_as("coordinator")
    exported = client.get("/kompetencer/kurser/eksport.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "kursus",
        "kursustitel",
        "kompetence",
        "kompetencetitel",
        "niveau",
    ]
    assert rows[1][:3] == [course.title, course.title, "B-V1"]

    rows[1][4] = 4
    response = _upload(client, _xlsx(rows), "ændret.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        '<tr data-action="changed"><th scope="row">Ændrede niveauer</th><td>1' in html
    )
    assert (
        '<tr data-action="unchanged"><th scope="row">Uændrede koblinger</th><td>1'
        in html
    )
    assert _apply(client, _xlsx(rows), "xlsx").status_code == 302
    assert _links() == {
        ("Kønsligestilling i indsatsen", "B-V1"): 4,
        ("Kønsligestilling i indsatsen", "S-VK1"): 3,
    }


def test_csv_export_is_for_danish_excel(client, login_as, small_framework):
    course = make_course(title="Ældre ledige; nye veje")
    _linked(course, {"B-H1": 3}, small_framework)
    login_as("coordinator")
    response = client.get("/kompetencer/kurser/eksport.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8-sig")
    assert (
        text.splitlines()[0] == "kursus;kursustitel;kompetence;kompetencetitel;niveau"
    )
    assert '"Ældre ledige; nye veje"' in text
    assert client.get("/kompetencer/kurser/eksport.pdf").status_code == 404
    assert _apply(client, response.data, "csv").status_code == 302
    assert _links() == {("Ældre ledige; nye veje", "B-H1"): 3}
