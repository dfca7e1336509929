"""The purchase plan over HTTP: who may see it, bad input in Danish, the plan
beside the greedy choice, what it respects, and a fixed number of queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from core.db import db, utcnow
from core.people.advisers import set_adviser
from core.people.models import EmployerKind, UnitKind
from courses.bookings import services as bookings
from courses.catalogue.models import Audience
from learning.assessments.models import RatingSource
from tests.courses.bookings.factories import make_course, make_session
from tests.learning.reports.purchase.conftest import plan_url


def _cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row's cells in the table with this id."""
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    table = table[table.find("<tbody") :]  # the rows, not the header
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def _summary(html: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in _cells(html, "plan-summary") if row[0]}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(plan_url())
    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("employee", 403),
        ("manager", 403),
        ("provider_staff", 403),
        ("own_coordinator", 200),
        ("other_coordinator", 403),
        ("region_adviser", 200),
        ("other_adviser", 403),
        ("admin", 200),
    ],
)
def test_only_the_jobcentres_coordinator_and_its_advisers_see_the_plan(
    client, login_as, create_unit, world, who, status
):
    other_region = create_unit(UnitKind.region)
    if who == "own_coordinator":
        login_as(world.coordinator)
    elif who == "other_coordinator":
        login_as("coordinator")  # a jobcentre of their own
        url = plan_url(jobcentre=world.jobcentre.id)
        assert client.get(url).status_code == 403
    elif who in ("region_adviser", "other_adviser"):
        adviser = login_as("coordinator", team=None)
        region = world.jobcentre.parent if who == "region_adviser" else other_region
        set_adviser(adviser, region)
        db.session.commit()
    elif who == "manager":
        login_as(world.manager_a)
    else:
        login_as(who)
    response = client.get(plan_url(jobcentre=world.jobcentre.id))
    assert response.status_code == status


@pytest.mark.parametrize("who", ["region_adviser", "admin"])
def test_advisers_and_admins_read_the_plan_but_request_nothing(
    client, login_as, world, who
):
    if who == "admin":
        login_as("admin")
    else:
        adviser = login_as("coordinator", team=None)
        set_adviser(adviser, world.jobcentre.parent)
        db.session.commit()
    html = client.get(plan_url(jobcentre=world.jobcentre.id)).get_data(as_text=True)
    assert "Lovgivning grundigt" in html
    assert "Send 2 anmodninger om tilmelding" not in html
    response = client.post(
        f"/rapporter/indkoebsplan/anmod?jobcentre={world.jobcentre.id}",
        data={
            "budget": "20500",
            "starts_on": "",
            "ends_on": "",
            "seats": f"{world.pia.id}-{world.law.id}",
        },
    )
    assert response.status_code == 403


def test_the_optimal_plan_is_shown_beside_the_greedy_choice(client, login_as, world):
    login_as(world.coordinator)
    response = client.get(plan_url("20.500"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Indkøbsplan: Jobcenter Indkøb" in html
    summary = _summary(html)
    assert summary["Hold"] == ["1", "2"]
    assert summary["Pladser"] == ["2", "2"]
    assert summary["Personer"] == ["2", "2"]
    assert summary["Udgift"] == ["20.000,00 kr.", "11.000,00 kr."]
    assert summary["Lukket gab"] == ["18", "10"]
    assert summary["Gab tilbage"] == ["1", "9"]
    assert (
        "Den optimale plan lukker 8 mere af kompetencegabet end det simple valg "
        "(80 % mere)." in html
    )
    seats = _cells(html, "plan-seats")
    raised = "B-V1 Viden om beskæftigelseslovgivningen (0 → 3)"
    assert [row[-4:] for row in seats] == [
        ["Per Bach (Team B)", raised, "10.000,00 kr.", "9"],
        ["Pia Andersen (Team A)", raised, "10.000,00 kr.", "9"],
    ]
    assert "Lovgivning grundigt" in seats[0][0]
    assert "Send 2 anmodninger om tilmelding" in html


def test_the_question_form_is_shown_first_with_the_next_twelve_months(
    client, login_as, world
):
    login_as(world.coordinator)
    response = client.get("/rapporter/indkoebsplan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label class="form-label" for="budget">Budget (kr.)' in html
    assert 'id="plan-summary"' not in html
    assert 'for="starts_on">Fra' in html
    assert 'for="ends_on">Til' in html


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("0", "Skriv et beløb i kroner fra 1 til 100.000.000"),
        ("-500", "Skriv et beløb i kroner fra 1 til 100.000.000"),
        ("fem hundrede", "Skriv et beløb i kroner fra 1 til 100.000.000"),
        ("100.000.001", "Skriv et beløb i kroner fra 1 til 100.000.000"),
        ("1e9", "Skriv et beløb i kroner fra 1 til 100.000.000"),
        ("", "Feltet skal udfyldes."),
    ],
)
def test_a_bad_budget_is_refused_in_danish(client, login_as, world, budget, message):
    login_as(world.coordinator)
    response = client.get(plan_url(budget))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="plan-summary"' not in html


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"starts_on": "31.02.2027"}, "Ikke en gyldig dato."),
        ({"ends_on": "i morgen"}, "Ikke en gyldig dato."),
        (
            {"starts_on": "2.1.2030", "ends_on": "1.1.2030"},
            "Perioden skal slutte samme dag",
        ),
        (
            {"starts_on": "1.1.2030", "ends_on": "1.1.2040"},
            "Perioden må højst være 3 år.",
        ),
    ],
)
def test_a_bad_period_is_refused_in_danish(client, login_as, world, dates, message):
    login_as(world.coordinator)
    response = client.get(plan_url("500.000", **dates))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_danish_amounts_and_dates_are_read(client, login_as, world):
    login_as(world.coordinator)
    start = (utcnow() + timedelta(days=35)).date()
    url = plan_url("20.000,00", starts_on=start.strftime("%d.%m.%Y"))
    html = client.get(url).get_data(as_text=True)
    # Only the later session lies within the period; 20.000 kr. pays two seats.
    summary = _summary(html)
    assert summary["Udgift"] == ["20.000,00 kr.", "20.000,00 kr."]
    assert "Etik i praksis" not in html


def test_a_jobcentre_without_gaps_gets_an_empty_plan_in_words(
    client, login_as, create_unit, small_framework
):
    team = create_unit(UnitKind.team)
    login_as("coordinator", team=team)
    response = client.get(plan_url("500.000"))
    assert response.status_code == 200
    assert (
        "Intet ledigt hold i perioden lukker et vurderet kompetencegab inden for "
        "budgettet, så planen er tom." in response.get_data(as_text=True)
    )


def test_a_jobcentre_without_people_gets_an_empty_plan_in_words(
    client, login_as, create_unit
):
    empty = create_unit(UnitKind.jobcentre, name="Jobcenter Tom")
    login_as("admin")
    response = client.get(plan_url("500.000", jobcentre=empty.id))
    assert response.status_code == 200
    assert "Ingen arbejder i dette jobcenter endnu" in response.get_data(as_text=True)


def test_unassessed_competences_are_no_gap(client, login_as, world, create_user):
    # A colleague with the same target who was never rated is left out.
    create_user("employee", team=world.team_a, name="Ulla Urørt")
    login_as(world.coordinator)
    html = client.get(plan_url("500.000")).get_data(as_text=True)
    assert "Ulla Urørt" not in html
    assert _summary(html)["Personer"] == ["2", "2"]


def test_the_plan_keeps_to_seats_audience_clashes_and_deadlines(
    client, login_as, world, link, rate, small_framework
):
    start = world.law.starts_at
    # Only one seat left on the session that closes most: requests waiting
    # for a manager count as promised.
    world.law.capacity = 2
    other = make_session(world.law.course, start=start + timedelta(days=60))
    db.session.commit()
    bookings.book(world.manager_a, world.law, approval="test")
    # Per already has a booking that clashes with the other Lovgivning session.
    clash = make_session(make_course(title="Andet kursus"), start=other.starts_at)
    bookings.book(world.per, clash)
    # Sessions nobody in the plan may take: for state staff, closed for booking.
    state_only = make_course(title="Kun for staten", audience=Audience.state)
    make_session(link(state_only, {"B-V1": 3}), start=start)
    late = link(make_course(title="Fristen er gået"), {"B-V1": 3})
    make_session(late, start=start, booking_deadline=utcnow() - timedelta(hours=1))
    db.session.commit()
    login_as(world.coordinator)
    html = client.get(plan_url("500.000")).get_data(as_text=True)
    seats = _cells(html, "plan-seats")
    assert "Kun for staten" not in html
    assert "Fristen er gået" not in html
    people_on = {row[-4].split(" (")[0] for row in seats}
    assert people_on == {"Pia Andersen", "Per Bach"}
    # One seat left on the first Lovgivning session, and Per cannot take the
    # later one (his other booking clashes): Per gets the first, Pia the later,
    # and Per also Etik. Greedy gives Pia the last seat and leaves Per's gap.
    on_law = [
        (row[0].split(" · ")[0], row[-4]) for row in seats if "Lovgivning" in row[0]
    ]
    assert [person for _session, person in on_law] == [
        "Per Bach (Team B)",
        "Pia Andersen (Team A)",
    ]
    assert on_law[0][0] != on_law[1][0]
    assert _summary(html)["Pladser"] == ["3", "2"]
    assert _summary(html)["Lukket gab"] == ["19", "10"]


def test_a_state_employee_pays_the_state_price(client, login_as, world):
    world.pia.employer_kind = EmployerKind.state
    world.law.course.price_state = Decimal(4000)
    db.session.commit()
    login_as(world.coordinator)
    html = client.get(plan_url("14.000")).get_data(as_text=True)
    assert _summary(html)["Udgift"][0] == "14.000,00 kr."
    assert "4.000,00 kr." in html


def test_the_time_limit_shows_the_best_plan_found_and_the_bound(
    app, client, login_as, world
):
    app.config["PURCHASE_PLAN_SECONDS"] = 0
    try:
        login_as(world.coordinator)
        html = client.get(plan_url("20.500")).get_data(as_text=True)
    finally:
        app.config["PURCHASE_PLAN_SECONDS"] = 10
    assert "Løseren nåede sin tidsgrænse på 0 sekunder" in html
    assert "ingen plan kan lukke mere end" in html


def test_the_page_issues_the_same_number_of_queries_for_more_people(
    client, login_as, world, create_user, rate, small_framework, count_queries
):
    counts = []
    for _ in range(2):
        login_as(world.coordinator)
        with count_queries() as statements:
            assert client.get(plan_url("500.000")).status_code == 200
        counts.append(len(statements))
        for _n in range(3):
            person = create_user("employee", team=world.team_b)
            rate(small_framework, person, RatingSource.self, {"B-V1": 1})
    assert counts[0] == counts[1]
