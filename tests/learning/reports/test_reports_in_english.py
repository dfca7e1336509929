"""The reports in English (issue 15): a coordinator whose account is in English
reads the competences by their English titles on the pages, in the picture and
in the CSV and Excel exports, whose headers are in English too; a Danish
coordinator still reads the Danish ones. The world is the purchase plan's
(tests/learning/reports/purchase/conftest.py)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.db import db
from core.people.advisers import set_adviser

ENGLISH = "Knowledge of employment legislation"
DANISH = "Viden om beskæftigelseslovgivningen"


@pytest.fixture
def in_english(world, small_framework):
    v1 = small_framework.by_code("B-V1")
    v1.title_en = ENGLISH
    world.coordinator.language = "en"
    db.session.commit()
    return v1


def _csv(response) -> list[list[str]]:
    body = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_the_demand_page_names_the_competences_in_english(
    client, login_as, world, in_english
):
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    assert f"B-V1 {ENGLISH}" in page  # table, picture and the session table
    assert DANISH not in page

    people = client.get(
        f"/rapporter/efterspoergsel/kompetencer/{in_english.id}"
        f"?jobcentre={world.jobcentre.id}"
    ).get_data(as_text=True)
    assert f"<h1>{ENGLISH} in Jobcenter Indkøb</h1>" in people
    assert DANISH not in people


def test_the_exports_follow_the_readers_language(client, login_as, world, in_english):
    login_as(world.coordinator)

    rows = _csv(client.get("/rapporter/efterspoergsel/eksport.csv?tabel=kompetencer"))
    assert rows[0][0] == "Competence"
    assert [r[0] for r in rows if r[0].startswith("B-V1")] == [f"B-V1 {ENGLISH}"]

    book = load_workbook(
        io.BytesIO(client.get("/rapporter/efterspoergsel/eksport.xlsx").get_data())
    )
    sheet = book["The competences most missing"]
    cells = [r[0] for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == "Competence"
    assert f"B-V1 {ENGLISH}" in cells
    assert not any(DANISH in str(c) for s in book for r in s.values for c in r)


def test_the_region_names_the_most_missing_competence_in_english(
    client, login_as, world, in_english, create_user
):
    adviser = create_user("coordinator", name="Kirsten Konsulent", language="en")
    set_adviser(adviser, world.jobcentre.parent)
    db.session.commit()
    login_as(adviser)

    page = client.get("/rapporter/region").get_data(as_text=True)
    assert ENGLISH in page
    assert DANISH not in page
    rows = _csv(client.get("/rapporter/region/eksport.csv?tabel=kompetencer"))
    assert rows[1][0] == f"B-V1 {ENGLISH}"


def test_a_danish_reader_keeps_the_danish_titles(client, login_as, world, in_english):
    world.coordinator.language = "da"
    db.session.commit()
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    assert f"B-V1 {DANISH}" in page
    rows = _csv(client.get("/rapporter/efterspoergsel/eksport.csv?tabel=kompetencer"))
    assert rows[0][0] == "Kompetence"
    assert f"B-V1 {DANISH}" in [r[0] for r in rows]
