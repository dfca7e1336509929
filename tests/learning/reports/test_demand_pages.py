"""The demand reports over HTTP (issue 14): the jobcentre's coordinator, the
team's manager and the region's adviser each see their own unit, with the
picture, the tables and their CSV and Excel, and nobody else's.

The jobcentre is the purchase plan's (tests/learning/reports/purchase/
conftest.py): five people need B-V1 (target 3, priority 3), B-H1 and B-A1
(target 3, priority 1); Pia is at 0 in B-V1 (gap 9), Per at 0 in B-V1 (9) and
2 in B-A1 (1); no one else is rated. "Lovgivning grundigt" (10.000 kr.) closes
B-V1 for both, "Etik i praksis" (1.000 kr.) B-A1 for Per.
"""

import csv
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.db import db, utcnow
from core.people.advisers import set_adviser
from core.people.models import UnitKind
from courses.bookings import budgets
from courses.sessions.models import SessionStatus
from learning.assessments.models import RatingSource
from tests.conftest import counting_queries

SVG = "{http://www.w3.org/2000/svg}"


def _row(page: str, table: str, first_cell: str) -> list[str]:
    """The cells of the row of `table` whose first cell holds `first_cell`."""
    body = page[page.index(f'id="{table}"') :]
    body = body[: body.index("</table>")]
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and first_cell in cells[0]:
            return cells
    raise AssertionError(f"no row {first_cell!r} in {table}")


@pytest.fixture
def region(world, create_unit):
    """The jobcentre's region (the factory made one above it)."""
    return world.jobcentre.parent


def test_the_coordinator_sees_what_the_jobcentre_misses(client, login_as, world):
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    assert "5 personer arbejder her." in page
    assert "Aldrig vurderet: 3." in page
    assert "Vægtet gab i alt: 19." in page
    # Need it, below target, levels missing, weighted gap, not assessed
    assert _row(page, "kompetencer", "B-V1")[3:] == ["5", "2", "6", "18", "3"]
    assert _row(page, "kompetencer", "B-A1")[3:] == ["5", "1", "1", "1", "4"]
    # Not assessed is not a gap: B-H1 is needed by all, missing for none.
    assert _row(page, "kompetencer", "B-H1")[3:] == ["5", "0", "0", "0", "5"]
    law = _row(page, "hold", "Lovgivning grundigt")
    assert law[2:4] == ["0", "2"]
    assert law[-1] == "20.000,00 kr."
    assert _row(page, "hold", "Etik i praksis")[2:4] == ["0", "1"]
    assert _row(page, "lag-og-art", "Grundlæggende")  # layer by kind


def test_the_picture_draws_the_tables_numbers(client, login_as, world):
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    assert svg.get("role") == "img"
    assert "mest manglende kompetencer" in svg.find(f"{SVG}title").text
    bars = {
        group.find(f"{SVG}title").text: float(group.find(f"{SVG}rect").get("width"))
        for group in svg.iter(f"{SVG}g")
    }
    (v1,) = (w for label, w in bars.items() if label.startswith("B-V1"))
    (a1,) = (w for label, w in bars.items() if label.startswith("B-A1"))
    assert v1 == pytest.approx(18 * a1, rel=0.05)  # 18 against 1
    assert not any(label.startswith("B-H1") for label in bars)  # no gap, no bar


def test_the_people_behind_a_number_are_there_for_the_coordinator(
    client, login_as, world, small_framework
):
    login_as(world.coordinator)
    v1 = small_framework.by_code("B-V1")

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    link_to = (
        f"/rapporter/efterspoergsel/kompetencer/{v1.id}?jobcentre={world.jobcentre.id}"
    )
    assert link_to.replace("?", "?").split("?")[0] in page

    people = client.get(link_to).get_data(as_text=True)
    below = people[people.index("Under målet") : people.index("Ikke vurderet endnu")]
    assert "Pia Andersen" in below
    assert "Per Bach" in below
    unrated = people[people.index("Ikke vurderet endnu") :]
    assert "Anne Leder" in unrated
    assert "Pia Andersen" not in unrated


def test_a_region_adviser_sees_numbers_but_no_names(
    client, login_as, world, region, create_user, small_framework
):
    adviser = create_user("coordinator", name="Kirsten Konsulent")
    set_adviser(adviser, region)
    db.session.commit()
    login_as(adviser)
    v1 = small_framework.by_code("B-V1")

    page = client.get(f"/rapporter/efterspoergsel?jobcentre={world.jobcentre.id}")
    assert page.status_code == 200
    assert "/rapporter/efterspoergsel/kompetencer/" not in page.get_data(as_text=True)
    names = client.get(
        f"/rapporter/efterspoergsel/kompetencer/{v1.id}?jobcentre={world.jobcentre.id}"
    )
    assert names.status_code == 403

    side_by_side = client.get("/rapporter/region").get_data(as_text=True)
    assert _row(side_by_side, "jobcentre", "Jobcenter Indkøb")[1:7] == [
        "5",
        "2",
        "3",
        "3",
        "19",
        "3,8",
    ]
    assert "Pia Andersen" not in side_by_side


def test_one_jobcentre_never_sees_another(
    client, login_as, world, create_unit, create_user, small_framework
):
    other = create_unit(UnitKind.jobcentre, name="Jobcenter Andet")
    team = create_unit(UnitKind.team, parent=other)
    login_as(create_user("coordinator", "employee", team=team))
    v1 = small_framework.by_code("B-V1")

    assert (
        client.get(
            f"/rapporter/efterspoergsel?jobcentre={world.jobcentre.id}"
        ).status_code
        == 403
    )
    assert (
        client.get(
            f"/rapporter/efterspoergsel/kompetencer/{v1.id}?jobcentre={world.jobcentre.id}"
        ).status_code
        == 403
    )
    own = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    assert "Jobcenter Andet" in own
    assert "Pia Andersen" not in own
    assert (
        client.get(f"/rapporter/region?region={world.jobcentre.parent_id}").status_code
        == 403
    )


@pytest.mark.parametrize(
    "url", ["/rapporter/efterspoergsel", "/rapporter/team", "/rapporter/region"]
)
def test_an_employee_sees_no_report(client, login_as, world, url):
    login_as(world.pia)
    assert client.get(url).status_code == 403


def test_the_manager_sees_the_teams_year_and_gaps(client, login_as, world):
    budgets.set_budget_unchecked(world.team_a, _this_year(), Decimal("60000"))
    db.session.commit()
    login_as(world.manager_a)

    page = client.get("/rapporter/team").get_data(as_text=True)

    assert "3 personer i teamet." in page  # Anne, Hanne and Pia
    assert _row(page, "kompetencer", "B-V1")[3:] == ["3", "1", "3", "9", "2"]
    assert _row(page, "budget", "60.000,00 kr.")
    assert _row(page, "planer", "Kladde")[1] == "0"
    assert "Per Bach" not in page
    assert page.count("<svg") == 2  # spend against budget, and the gaps
    other = client.get(f"/rapporter/team?team={world.team_b.id}")
    assert other.status_code == 403


def test_a_bad_year_is_told_in_danish(client, login_as, world):
    login_as(world.manager_a)
    for year in ("abc", "1999", "-1", "99999999999999999999"):
        response = client.get(f"/rapporter/team?aar={year}")
        assert response.status_code == 400
        assert "Vælg et år mellem" in response.get_data(as_text=True)


def test_an_empty_jobcentre_gives_an_empty_report(client, login_as, create_unit):
    empty = create_unit(UnitKind.jobcentre, name="Jobcenter Tomt")
    login_as("admin")

    response = client.get(f"/rapporter/efterspoergsel?jobcentre={empty.id}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "0 personer arbejder her." in page
    assert "Ingen vurderede gab." in page


def test_every_table_goes_to_csv_with_the_pages_numbers(client, login_as, world):
    login_as(world.coordinator)

    response = client.get("/rapporter/efterspoergsel/eksport.csv?tabel=kompetencer")

    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kompetence"
    v1 = next(r for r in rows if r[0].startswith("B-V1"))
    assert v1[3:] == ["5", "2", "6", "18", "3"]
    assert (
        client.get("/rapporter/efterspoergsel/eksport.csv?tabel=nej").status_code == 404
    )
    assert client.get("/rapporter/efterspoergsel/eksport.pdf").status_code == 404


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers(
    client, login_as, world
):
    login_as(world.coordinator)

    response = client.get("/rapporter/efterspoergsel/eksport.xlsx")

    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames[:3] == [
        "De mest manglende kompetencer",
        "Gab fordelt på lag og type",
        "Hold, der ville lukke gabene",
    ]
    sheet = book["De mest manglende kompetencer"]
    assert sheet.freeze_panes == "A2"
    v1 = next(
        r for r in sheet.iter_rows(values_only=True) if str(r[0]).startswith("B-V1")
    )
    assert v1[3:] == (5, 2, 6, 18, 3)
    sessions = book["Hold, der ville lukke gabene"]
    law = next(r for r in sessions.iter_rows() if r[0].value == "Lovgivning grundigt")
    assert law[-1].value == 20000
    assert "kr." in law[-1].number_format


def test_the_reports_read_a_fixed_number_of_queries(
    client, login_as, world, create_user, rate, small_framework, region, create_unit
):
    adviser = create_user("coordinator", name="Kirsten Konsulent")
    set_adviser(adviser, region)
    db.session.commit()

    def counts() -> list[int]:
        result = []
        for who, url in (
            (world.coordinator, "/rapporter/efterspoergsel"),
            (world.manager_a, "/rapporter/team"),
            (adviser, "/rapporter/region"),
        ):
            login_as(who)
            with counting_queries() as statements:
                assert client.get(url).status_code == 200
            result.append(len(statements))
        return result

    few = counts()
    for n in range(12):
        person = create_user("employee", team=world.team_a, name=f"Ny {n}")
        rate(small_framework, person, RatingSource.self, {"B-V1": n % 3, "B-A1": 1})
    more_jobcentre = create_unit(
        UnitKind.jobcentre, name="Jobcenter Mere", parent=region
    )
    create_user("employee", team=create_unit(UnitKind.team, parent=more_jobcentre))
    assert counts() == few


def _this_year() -> int:
    from core.clock import today

    return today().year


def test_interest_in_courses_without_sessions_is_counted(client, login_as, world):
    from courses.bookings import interest
    from tests.courses.bookings.factories import make_course, make_session

    login_as(world.coordinator)
    with counting_queries() as before:
        client.get("/rapporter/efterspoergsel")
    wanted = make_course(title="Rehabiliteringsteam i praksis")
    offered = make_course(title="Lovgivning for nye")
    archived = make_course(title="Gammel jobsøgning")
    closed = make_course(title="Sygedagpenge i dybden")
    for person in (world.pia, world.per):
        interest.declare(person, wanted)
    for course in (offered, archived, closed):
        interest.declare(world.pia, course)
    archived.archived_at = utcnow()
    db.session.commit()
    make_session(offered)  # now there is a session to book instead
    make_session(closed, status=SessionStatus.cancelled)  # nothing to book still

    with counting_queries() as after:
        page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    assert _row(page, "interesse", "Rehabiliteringsteam i praksis")[1] == "2"
    assert _row(page, "interesse", "Sygedagpenge i dybden")[1] == "1"
    table = page[page.index('id="interesse"') :]
    table = table[: table.index("</table>")]
    assert table.index("Rehabiliteringsteam") < table.index("Sygedagpenge")
    assert "Lovgivning for nye" not in table
    assert "Gammel jobsøgning" not in table
    # Interest is read with the courses' sessions in one query, whether there
    # is any or not.
    assert len(after) == len(before)
