"""Budgets count what awaits approval (issue 15): five open requests of 36.600
kr. in total each showed 'Resterende 60.000 kr.'. The team's and the jobcentre's
budget pages and the booking inbox show what is approved, what is pending and
what would remain if every pending request were approved; the plan inbox counts
a plan's own requests once."""

import re
from datetime import date, time
from decimal import Decimal
from html import unescape

import pytest
import sqlalchemy as sa

from core.db import db
from courses.bookings import budgets, services
from courses.bookings.models import Booking, BookingStatus
from courses.sessions.timing import next_working_day
from learning.plans import decisions
from learning.plans import services as plans
from tests.dates import at, future_year, working_day

BUDGET = Decimal(60_000)
# Two requests through a development plan, three booked one by one: 36.600 kr.
PLAN_PRICES = (12_000, 9_500)
OTHER_PRICES = (7_300, 4_800, 3_000)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def requests(travel, team, manager, make_employee, make_session):
    """Early March of a coming year (so every session and the plan's period fall
    in one budget year): 60.000 kr. for the team and for its jobcentre, and five
    paid requests awaiting the manager, two of them through one plan."""
    travel(at(next_working_day(date(future_year(3, 1), 3, 1)), time(10)))
    sessions = [
        make_session(price=price, start=at(working_day(14 + 7 * n), time(9)))
        for n, price in enumerate(PLAN_PRICES + OTHER_PRICES)
    ]
    year = sessions[0].starts_at.year
    assert {cs.starts_at.year for cs in sessions} == {year}
    budgets.set_budget_unchecked(team, year, BUDGET)
    budgets.set_budget_unchecked(team.parent, year, BUDGET)
    owner = make_employee(name="Mette Nielsen")
    starts_on, ends_on = plans.period_containing(sessions[0].starts_at.date())
    plan = plans.create_plan(owner, owner, starts_on=starts_on, ends_on=ends_on)
    plans.add_goal(owner, plan, text="Bedre samtaler med virksomheder")
    for cs in sessions[: len(PLAN_PRICES)]:
        plans.add_session(owner, plan, cs)
    decisions.submit(owner, plan)
    for cs in sessions[len(PLAN_PRICES) :]:
        services.book(make_employee(), cs)
    db.session.commit()
    statuses = db.session.scalars(
        sa.select(Booking.status).where(
            Booking.course_session_id.in_([cs.id for cs in sessions])
        )
    ).all()
    assert statuses == [BookingStatus.requested] * len(sessions)
    return year


def _figures_shown(page: str) -> None:
    assert "Disponeret (godkendt) 0,00 kr." in page
    assert "Resterende 60.000,00 kr." in page
    assert "Afventer godkendelse 36.600,00 kr. i 5 tilmeldinger" in page
    assert "Resterende, hvis alle afventende godkendes 23.400,00 kr." in page


def test_the_team_budget_page_counts_the_pending_requests(
    client, login_as, manager, team, requests
):
    login_as(manager)

    page = _text(client.get(f"/budgetter/{team.id}?year={requests}").text)

    _figures_shown(page)
    assert "Tilmeldinger, der afventer godkendelse" in page


def test_the_jobcentre_budget_page_counts_its_teams_pending_requests(
    client, login_as, create_user, team, requests
):
    login_as(create_user("coordinator", team=team))

    page = _text(client.get(f"/budgetter/{team.parent.id}?year={requests}").text)

    _figures_shown(page)


def test_the_budget_overview_has_a_column_for_each(
    client, login_as, create_user, team, requests
):
    login_as(create_user("coordinator", team=team))

    page = _text(client.get(f"/budgetter/?year={requests}").text)

    assert (
        "60.000,00 kr. 0,00 kr. 60.000,00 kr. 36.600,00 kr. i 5 tilmeldinger "
        "23.400,00 kr." in page
    )


def test_the_booking_inbox_shows_them_beside_each_request(
    client, login_as, manager, requests
):
    login_as(manager)

    page = _text(client.get("/tilmeldinger/godkendelser").text)

    assert page.count("Afventer godkendelse 36.600,00 kr. i 5 tilmeldinger") >= 3
    assert page.count("Resterende, hvis alle afventende godkendes 23.400,00 kr.") >= 3


def test_the_plan_inbox_counts_the_plans_own_requests_once(
    client, login_as, manager, requests
):
    login_as(manager)

    page = _text(client.get("/planer/indbakke").text)

    row = page[page.index("Mette Nielsen") :]
    # 60.000 less the plan's 21.500 leaves 38.500; less the other 15.100 pending,
    # 23.400. Counting the plan's requests twice would have left 1.900.
    assert "21.500,00 kr. 38.500,00 kr. 23.400,00 kr." in row
    assert "1.900,00 kr." not in page
