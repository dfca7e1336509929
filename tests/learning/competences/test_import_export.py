"""Framework files: preview, apply in one transaction, precise errors, round trips."""

import html
import io
import json

import pytest
import sqlalchemy as sa

from core.db import db
from learning.competences import imports
from learning.competences.formats import (
    CSV_COLUMNS,
    FileFormatError,
    read_case_json,
    read_csv,
)
from learning.competences.models import (
    Area,
    Competence,
    Profile,
    Requirement,
    ScaleLevel,
)
from learning.competences.writers import rows, write_case_json

GOOD_CSV = (
    ",".join(CSV_COLUMNS)
    + """
level,0,Ingen,,Ingen viden,,,,,,,,
level,1,Kende,,Kender til,,,,,,,,
level,2,Kunne,,Kan med støtte,,,,,,,,
level,3,Beherske,,Selvstændigt,,,,,,,,
level,4,Ekspert,,Lærer andre,,,,,,,,
area,VK,Virksomhedskontakt,Company contact,,,,,,,,,
competence,VK-1,Kan opsøge virksomheder,Approach firms,,handling,specifik,VK,003,,,,
competence,VK-2,Viden om virksomheder,Know firms,,viden,grundlæggende,VK,003,,,,
profile,firm,Virksomhedskonsulent,Company consultant,,,,,,,,,nej
requirement,VK-1,,,,,,,,firm,3,3,
requirement,VK-2,,,,,,,,firm,2,1,
"""
)


def upload(client, text: str, name: str = "ramme.csv"):
    return client.post(
        "/kompetencer/ramme/import",
        data={"file": (io.BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data",
    )


def counts():
    return [
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Area, Competence, Profile, Requirement)
    ]


def test_a_csv_import_shows_a_preview_then_applies(client, login_as, app):
    login_as("coordinator")
    preview = upload(client, GOOD_CSV)
    assert preview.status_code == 200
    assert "Forhåndsvisning af importen" in preview.text
    assert "Kan opsøge virksomheder" in preview.text
    assert counts() == [0, 0, 0, 0]  # the preview changes nothing
    payload = preview.text.split('name="payload" type="hidden" value="')[1].split('"')[
        0
    ]

    response = client.post(
        "/kompetencer/ramme/import/anvend",
        data={"payload": html.unescape(payload), "fmt": "csv"},
    )
    assert response.status_code == 302
    assert counts() == [1, 2, 1, 2]
    competence = db.session.scalar(
        sa.select(Competence).where(Competence.code == "VK-1")
    )
    assert (competence.kind.value, competence.layer.value) == ("action", "specific")


def test_a_bad_file_names_row_and_column_and_changes_nothing(client, login_as, app):
    login_as("coordinator")
    bad = (
        GOOD_CSV.replace("handling,specifik,VK", "handlng,specifik,VK")
        .replace("firm,2,1,", "firm,two,1,")
        .replace("area,VK,Virksomhedskontakt", "area,VK,")
    )
    response = upload(client, bad)
    assert response.status_code == 400
    text = response.text
    assert "Filen blev ikke importeret. Intet er ændret." in text
    assert "Række 7, kolonne title: der mangler en værdi" in text
    assert "Række 8, kolonne kind: &#39;handlng&#39; er ikke en kendt værdi" in text
    assert "Række 12, kolonne target: &#39;two&#39; er ikke et helt tal" in text
    assert counts() == [0, 0, 0, 0]


def test_a_reference_to_nothing_is_an_error_with_its_row(client, login_as, app):
    login_as("coordinator")
    response = upload(client, GOOD_CSV.replace("requirement,VK-2", "requirement,VK-9"))
    assert response.status_code == 400
    assert "Række 12, kolonne code: &#39;VK-9&#39; findes hverken" in response.text


def test_applying_a_tampered_payload_changes_nothing(client, login_as, app):
    login_as("coordinator")
    broken = GOOD_CSV.replace("firm,3,3,", "firm,9,3,")
    response = client.post(
        "/kompetencer/ramme/import/anvend", data={"payload": broken, "fmt": "csv"}
    )
    assert response.status_code == 400
    assert counts() == [0, 0, 0, 0]


def test_exports_read_back_as_the_same_framework(client, login_as, small_framework):
    login_as("coordinator")
    as_csv = client.get("/kompetencer/ramme/eksport.csv")
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    as_json = client.get("/kompetencer/ramme/eksport.json")
    document = as_json.get_json()
    assert {i["CFItemType"] for i in document["CFItems"]} == {
        "Level",
        "Area",
        "Competence",
        "Profile",
    }
    assert any(a["associationType"] == "isChildOf" for a in document["CFAssociations"])
    for data in (
        read_csv(as_csv.data.decode("utf-8-sig")),
        read_case_json(as_json.text),
    ):
        plan = imports.plan(data)
        assert plan.shown == []  # nothing new, nothing changed
        assert plan.count("competence", "unchanged") == 4


def test_a_json_import_applies_in_one_transaction(app):
    data = read_csv(GOOD_CSV)
    text = write_case_json(data, title="Ramme")
    imports.apply(None, read_case_json(text))
    db.session.commit()
    assert counts() == [1, 2, 1, 2]
    assert len(rows(imports.export_data())) == GOOD_CSV.count("\n") - 1


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("{not json", (1, "column 2")),
        (json.dumps({"CFItems": [{"CFItemType": "Thing"}]}), (1, "CFItemType")),
        (
            json.dumps(
                {
                    "CFItems": [
                        {
                            "CFItemType": "Competence",
                            "humanCodingScheme": "X",
                            "fullStatement": "X",
                            "extensions": {"kind": "knowledge", "layer": "basic"},
                        }
                    ]
                }
            ),
            (1, "isChildOf"),
        ),
    ],
)
def test_json_errors_name_the_item_and_the_field(text, where):
    with pytest.raises(FileFormatError) as info:
        read_case_json(text)
    assert (info.value.problems[0].row, info.value.problems[0].column) == where


def test_a_shorter_scale_in_use_is_refused(small_framework):
    text = GOOD_CSV.replace("level,4,Ekspert,,Lærer andre,,,,,,,,\n", "").replace(
        "level,3,Beherske,,Selvstændigt,,,,,,,,\n", ""
    )
    with pytest.raises(FileFormatError) as info:
        imports.apply(None, read_csv(text))
    assert {p.code for p in info.value.problems} >= {"level_in_use"}
    assert db.session.scalar(sa.select(sa.func.count(ScaleLevel.id))) == 5


def test_a_danish_excel_csv_with_semicolons_and_bom_is_read(app):
    text = "\ufeff" + GOOD_CSV.replace(",", ";")
    data = read_csv(text)
    assert [c["code"] for c in data.competences] == ["VK-1", "VK-2"]


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("ramme.txt", GOOD_CSV, "Vælg en .csv-, en .xlsx- eller en .json-fil."),
        (
            "ramme.csv",
            "",
            "Række 1, kolonne type: kolonnen mangler i overskriftsrækken",
        ),
        ("ramme.json", "[1, 2]", "Element 1, felt CFItems: der mangler en værdi"),
    ],
)
def test_unusable_uploads_get_a_danish_message(
    client, login_as, app, name, body, message
):
    login_as("coordinator")
    response = upload(client, body, name)
    assert response.status_code == 400
    assert message in response.text
    assert counts() == [0, 0, 0, 0]


def test_a_file_in_another_encoding_is_refused(client, login_as, app):
    login_as("coordinator")
    response = client.post(
        "/kompetencer/ramme/import",
        data={"file": (io.BytesIO(GOOD_CSV.encode("utf-16")), "ramme.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "filen er hverken UTF-8- eller Windows-1252-tekst" in response.text


@pytest.mark.parametrize("role", ["employee", "manager", "provider_staff"])
def test_only_maintainers_may_upload(client, login_as, app, role):
    login_as(role)
    assert upload(client, GOOD_CSV).status_code == 403
    assert counts() == [0, 0, 0, 0]
