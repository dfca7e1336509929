"""The plan out to Excel and CSV: the same numbers as the page."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.learning.reports.purchase.conftest import plan_url


def _export(url: str, fmt: str) -> str:
    return url.replace("indkoebsplan?", f"indkoebsplan/eksport.{fmt}?")


def test_the_workbook_has_the_plan_the_comparison_and_the_simple_choice(
    client, login_as, world
):
    login_as(world.coordinator)
    response = client.get(_export(plan_url("20.500"), "xlsx"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Indkøbsplan", "Optimal og simpel", "Simpelt valg"]
    plan = list(book["Indkøbsplan"].iter_rows(values_only=True))
    assert plan[0] == (
        "Kursus",
        "Første dag",
        "Lokale eller sted",
        "Person",
        "Team",
        "Pris (kr.)",
        "Lukket gab",
        "Kompetencer, der løftes",
    )
    assert [(r[0], r[3], r[5], r[6], r[7]) for r in plan[1:]] == [
        ("Lovgivning grundigt", "Per Bach", 10000, 9, "B-V1 0→3"),
        ("Lovgivning grundigt", "Pia Andersen", 10000, 9, "B-V1 0→3"),
    ]
    summary = list(book["Optimal og simpel"].iter_rows(values_only=True))
    assert summary[0] == (
        "Plan",
        "Hold",
        "Pladser",
        "Personer",
        "Udgift (kr.)",
        "Lukket gab",
        "Gab tilbage",
        "Mest en plan kan lukke",
    )
    assert summary[1:] == [
        ("Optimal plan", 1, 2, 2, 20000, 18, 1, 18),
        ("Simpelt valg (mest gab pr. krone)", 2, 2, 2, 11000, 10, 9, None),
    ]
    assert book["Optimal og simpel"]["E2"].number_format == '#,##0.00 "kr."'
    greedy = list(book["Simpelt valg"].iter_rows(values_only=True))
    assert sorted((r[0], r[3], r[6]) for r in greedy[1:]) == [
        ("Etik i praksis", "Per Bach", 1),
        ("Lovgivning grundigt", "Pia Andersen", 9),
    ]


def test_the_csv_has_the_plans_seats(client, login_as, world):
    login_as(world.coordinator)
    response = client.get(_export(plan_url("20.500"), "csv"))
    assert response.status_code == 200
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(
        "Kursus;Første dag;Lokale eller sted;Person;Team;Pris (kr.)"
    )
    assert [line.split(";")[3] for line in lines[1:]] == ["Per Bach", "Pia Andersen"]
    assert {Decimal(line.split(";")[5]) for line in lines[1:]} == {Decimal(10000)}


def test_a_bad_budget_exports_nothing(client, login_as, world):
    login_as(world.coordinator)
    response = client.get(_export(plan_url("-5"), "xlsx"))
    assert response.status_code == 400
    assert "Skriv et beløb i kroner fra 1 til 100.000.000" in response.get_data(
        as_text=True
    )


def test_another_jobcentre_exports_nothing(client, login_as, world):
    login_as("coordinator")
    url = _export(plan_url("20.500", jobcentre=world.jobcentre.id), "xlsx")
    assert client.get(url).status_code == 403
    assert client.get(_export(plan_url("20.500"), "pdf")).status_code == 404
