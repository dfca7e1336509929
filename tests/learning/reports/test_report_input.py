"""The demand reports' query strings and long tables (issue 14): a unit argument
that names no unit is refused in Danish instead of showing another unit's
report, each missing competence lists the sessions that close it (or says there
is none), and a long table is cut on the page but whole in the exports.

The jobcentre is the purchase plan's (tests/learning/reports/purchase/
conftest.py): Pia and Per miss B-V1, which "Lovgivning grundigt" closes, Per
misses B-A1, which "Etik i praksis" closes.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from openpyxl import load_workbook

from core.db import db, utcnow
from core.people.models import EmployerKind
from courses.catalogue.models import Audience, CourseStatus
from courses.sessions.models import SessionStatus
from courses.sessions.timing import COPENHAGEN
from learning.assessments.models import RatingSource
from learning.reports.report_tables import SESSIONS_ON_PAGE
from tests.conftest import counting_queries
from tests.courses.bookings.factories import make_course, make_session
from tests.learning.reports.test_demand_pages import _row


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/rapporter/efterspoergsel?jobcentre=abc", "Vælg et jobcenter på listen."),
        ("/rapporter/efterspoergsel?jobcentre=-1", "Vælg et jobcenter på listen."),
        ("/rapporter/efterspoergsel?jobcentre=1.5", "Vælg et jobcenter på listen."),
        (
            "/rapporter/efterspoergsel?jobcentre=99999999999999999999",
            "Vælg et jobcenter på listen.",
        ),
        (
            "/rapporter/efterspoergsel/eksport.csv?jobcentre=æøå",
            "Vælg et jobcenter på listen.",
        ),
        ("/rapporter/team?team=abc", "Vælg et team på listen."),
        ("/rapporter/team/eksport.xlsx?team=0", "Vælg et team på listen."),
        ("/rapporter/region?region=Hovedstaden", "Vælg en region på listen."),
        ("/rapporter/region/eksport.csv?region=%20x", "Vælg en region på listen."),
    ],
)
def test_a_unit_that_is_no_unit_is_told_in_danish(client, login_as, url, message):
    login_as("admin")

    response = client.get(url)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_drill_down_refuses_a_team_that_is_no_team(
    client, login_as, world, small_framework
):
    login_as(world.manager_a)
    v1 = small_framework.by_code("B-V1")

    response = client.get(f"/rapporter/efterspoergsel/kompetencer/{v1.id}?team=x")

    assert response.status_code == 400
    assert "Vælg et team på listen." in response.get_data(as_text=True)


def test_an_empty_unit_argument_is_the_default_unit(client, login_as, world):
    login_as(world.coordinator)

    response = client.get("/rapporter/efterspoergsel?jobcentre=")

    assert response.status_code == 200
    assert "Jobcenter Indkøb" in response.get_data(as_text=True)


def test_each_missing_competence_lists_the_sessions_that_close_it(
    client, login_as, world, small_framework, rate
):
    # Per works for the state; the course costs the state more.
    world.per.employer_kind = EmployerKind.state
    world.law.course.price_state = Decimal("12000")
    db.session.commit()
    # Pia also misses B-H1, which no course develops.
    rate(small_framework, world.pia, RatingSource.self, {"B-V1": 0, "B-H1": 1})
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    v1 = _row(page, "hold-pr-kompetence", "B-V1")
    assert v1[1] == "Lovgivning grundigt"
    assert v1[3:] == ["2", "12.000,00 kr.", "10.000,00 kr."]
    a1 = _row(page, "hold-pr-kompetence", "B-A1")
    assert a1[1] == "Etik i praksis"
    assert a1[3] == "1"
    assert _row(page, "hold-pr-kompetence", "B-H1")[1] == "Intet åbent hold"
    law = _row(page, "hold", "Lovgivning grundigt")
    assert law[2:4] == ["1", "1"]  # one state, one municipal employee
    assert law[-1] == "22.000,00 kr."


def test_a_competence_lists_the_sessions_for_most_people_then_cheapest_soonest(
    client, login_as, world, link
):
    # "Lovgivning kort" is cheaper but only for state staff: of Pia and Per it
    # closes B-V1 for Per alone, so both sessions of "Lovgivning grundigt" (for
    # the two of them) come first, then its soonest session of four.
    world.per.employer_kind = EmployerKind.state
    make_session(world.law.course, start=world.law.starts_at + timedelta(days=60))
    short = link(
        make_course(title="Lovgivning kort", price=500, audience=Audience.state),
        {"B-V1": 3},
    )
    morning = utcnow().replace(hour=8, minute=0, second=0, microsecond=0)
    for days in (40, 20, 60, 50):
        make_session(short, start=morning + timedelta(days=days))
    db.session.commit()
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    rows = _rows(page, "hold-pr-kompetence", "B-V1")
    assert [(r[1], r[3]) for r in rows] == [
        ("Lovgivning grundigt", "2"),
        ("Lovgivning grundigt", "2"),
        ("Lovgivning kort", "1"),
    ]
    soonest = (morning + timedelta(days=20)).astimezone(COPENHAGEN).date()
    assert rows[2][2] == format_date(soonest, "d. MMMM y", locale="da")


def test_only_sessions_one_can_still_book_close_gaps(client, login_as, world, link):
    # Of "Lovgivning grundigt" only the fixture's session is open for booking;
    # the draft, the archived and the municipal-only course close nothing for
    # Per (state) and Pia is municipal: the last one counts her alone.
    world.per.employer_kind = EmployerKind.state
    law, soon = world.law.course, world.law.starts_at
    make_session(law, start=soon + timedelta(days=1), status=SessionStatus.cancelled)
    make_session(law, start=soon + timedelta(days=2), status=SessionStatus.planned)
    make_session(law, start=utcnow() - timedelta(hours=1))  # begun
    make_session(
        law,
        start=soon + timedelta(days=3),
        booking_deadline=utcnow() - timedelta(minutes=1),
    )
    draft = link(make_course(title="Lovgivning i kladde"), {"B-V1": 3})
    draft.status = CourseStatus.draft
    archived = link(make_course(title="Lovgivning arkiveret"), {"B-V1": 3})
    archived.archived_at = utcnow()
    municipal = link(
        make_course(title="Lovgivning kommunalt", audience=Audience.municipal),
        {"B-V1": 3},
    )
    for course in (draft, archived, municipal):
        make_session(course, start=soon)
    db.session.commit()
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    sessions = page[page.index('id="hold"') :]
    sessions = sessions[: sessions.index("</table>")]
    assert sessions.count("Lovgivning grundigt") == 1
    assert "kladde" not in sessions
    assert "arkiveret" not in sessions
    assert _row(page, "hold", "Lovgivning grundigt")[2:4] == ["1", "1"]
    assert _row(page, "hold", "Lovgivning kommunalt")[2:4] == ["0", "1"]


def _rows(page: str, table: str, first_cell: str) -> list[list[str]]:
    """The cells of every row of `table` whose first cell holds `first_cell`."""
    body = page[page.index(f'id="{table}"') :]
    body = body[: body.index("</table>")]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and first_cell in cells[0]:
            found.append(cells)
    return found


def test_a_long_table_is_cut_on_the_page_and_whole_in_the_exports(
    client, login_as, world
):
    extra = SESSIONS_ON_PAGE + 2
    for n in range(extra):
        make_session(world.law.course, start=world.law.starts_at + timedelta(days=n))
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)
    table = page[page.index('id="hold"') :]
    table = table[: table.index("</section>")]
    assert table.count("Lovgivning grundigt") == SESSIONS_ON_PAGE
    everyone = extra + 2  # and the fixture's two sessions
    assert f"Siden viser de første {SESSIONS_ON_PAGE} af {everyone} rækker" in table

    body = client.get("/rapporter/efterspoergsel/eksport.csv?tabel=hold").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + everyone
    book = load_workbook(
        io.BytesIO(client.get("/rapporter/efterspoergsel/eksport.xlsx").get_data())
    )
    assert book["Hold, der ville lukke gabene"].max_row == 1 + everyone
    assert book["Hold pr. kompetence"]["A1"].value == "Kompetence"


def test_the_exports_and_the_drill_down_read_a_fixed_number_of_queries(
    client, login_as, world, create_user, rate, small_framework
):
    v1 = small_framework.by_code("B-V1")
    urls = (
        "/rapporter/efterspoergsel/eksport.xlsx",
        "/rapporter/efterspoergsel/eksport.csv?tabel=hold-pr-kompetence",
        f"/rapporter/efterspoergsel/kompetencer/{v1.id}",
    )
    login_as(world.coordinator)

    def counts() -> list[int]:
        result = []
        for url in urls:
            with counting_queries() as statements:
                assert client.get(url).status_code == 200
            result.append(len(statements))
        return result

    few = counts()
    for n in range(10):
        person = create_user("employee", team=world.team_b, name=f"Ny {n}")
        rate(small_framework, person, RatingSource.self, {"B-V1": n % 3, "B-H1": 0})
    assert counts() == few


@pytest.mark.parametrize(
    ("who", "team", "status"),
    [
        ("manager_a", "team_a", 200),
        ("manager_a", "team_b", 403),
        ("manager_b", "team_a", 403),
        ("coordinator", "team_a", 403),  # the jobcentre's names go by ?jobcentre=
        ("pia", "team_a", 403),
    ],
)
def test_a_teams_names_are_for_its_manager(
    client, login_as, world, small_framework, who, team, status
):
    login_as(getattr(world, who))
    v1 = small_framework.by_code("B-V1")
    team_id = getattr(world, team).id

    response = client.get(
        f"/rapporter/efterspoergsel/kompetencer/{v1.id}?team={team_id}"
    )

    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "Pia Andersen" in page
        assert "Per Bach" not in page  # team B


def test_the_region_shows_each_jobcentres_gap_by_layer_and_kind(
    client, login_as, world
):
    login_as("admin")

    page = client.get(f"/rapporter/region?region={world.jobcentre.parent_id}").get_data(
        as_text=True
    )

    table = page[page.index('id="lag-og-art"') :]
    header = table[: table.index("</tr>")]
    assert "Grundlæggende, viden" in header
    assert "Specifik, holdning" in header
    # B-V1 (basic knowledge) 18, B-A1 (basic attitude) 1
    assert _row(page, "lag-og-art", "Jobcenter Indkøb")[1:] == [
        "18",
        "0",
        "1",
        "0",
        "0",
        "0",
    ]
    book = load_workbook(
        io.BytesIO(
            client.get(
                f"/rapporter/region/eksport.xlsx?region={world.jobcentre.parent_id}"
            ).get_data()
        )
    )
    rows = list(book["Vægtet gab efter lag og type"].iter_rows(values_only=True))
    assert rows[1] == ("Jobcenter Indkøb", 18, 0, 1, 0, 0, 0)
