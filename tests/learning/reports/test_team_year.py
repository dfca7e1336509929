"""The team report's year (issue 14): bookings made, courses completed and the
spend approved against the budget, month by month, on the page and in the
workbook. Only bookings charged to the year's budget count as spend (the
budget's own rule: paid, needing approval, approved), by the month booked;
a booking made last December for this year's budget counts from January."""

import io
import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from core.clock import COPENHAGEN
from core.db import db
from courses.bookings import budgets
from courses.bookings.models import Booking, BookingStatus
from learning.plans.models import Plan, PlanStatus
from tests.courses.bookings.factories import make_session

YEAR = 2030


def _at(month: int, day: int, year: int = YEAR) -> datetime:
    return datetime(year, month, day, 10, tzinfo=COPENHAGEN)


def _book(person, team, *, booked, status, price=0, approval=False, ends=None):
    course_session = make_session(price=price, start=ends or _at(9, 1))
    db.session.add(
        Booking(
            user_id=person.id,
            course_session_id=course_session.id,
            team_id=team.id,
            status=status,
            price=Decimal(price),
            needs_approval=approval,
            budget_year=YEAR,
            booked_at=booked,
        )
    )
    db.session.commit()


def _cells(page: str, table: str) -> list[list[str]]:
    body = page[page.index(f'id="{table}"') :]
    body = body[body.index("<tbody") : body.index("</table>")]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_year_counts_bookings_completions_and_spend_by_month(
    client, login_as, world, travel
):
    travel(_at(6, 15))
    pia, team = world.pia, world.team_a
    confirmed, completed = BookingStatus.confirmed, BookingStatus.completed
    # Booked last December for this year's budget: spend from January.
    _book(
        pia,
        team,
        booked=_at(12, 20, YEAR - 1),
        status=confirmed,
        price=4000,
        approval=True,
    )
    _book(pia, team, booked=_at(3, 10), status=confirmed, price=6000, approval=True)
    # Awaiting approval: booked, but no spend yet.
    _book(
        pia,
        team,
        booked=_at(4, 2),
        status=BookingStatus.requested,
        price=2500,
        approval=True,
    )
    # Free, completed in May.
    _book(pia, team, booked=_at(1, 5), status=completed, ends=_at(5, 20))
    # Booked the year before, completed in February.
    _book(pia, team, booked=_at(11, 1, YEAR - 1), status=completed, ends=_at(2, 10))
    # Another team's booking counts for that team only.
    _book(
        world.per,
        world.team_b,
        booked=_at(3, 1),
        status=confirmed,
        price=9000,
        approval=True,
    )
    login_as(world.manager_a)

    page = client.get(f"/rapporter/team?aar={YEAR}").get_data(as_text=True)

    months = _cells(page, "maaneder")
    assert len(months) == 12
    assert [row[1:] for row in months[:6]] == [
        ["1", "0", "4.000,00 kr."],
        ["0", "1", "4.000,00 kr."],
        ["1", "0", "10.000,00 kr."],
        ["1", "0", "10.000,00 kr."],
        ["0", "1", "10.000,00 kr."],
        ["0", "0", "10.000,00 kr."],
    ]
    assert months[11][1:] == ["0", "0", "10.000,00 kr."]

    response = client.get(f"/rapporter/team/eksport.xlsx?aar={YEAR}")
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = next(s for s in book.worksheets if s.title.startswith("Måned"))
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert [r[1:] for r in rows[:3]] == [(1, 0, 4000), (0, 1, 4000), (1, 0, 10000)]


def test_the_budget_and_the_plans_are_the_teams_own_this_year(
    client, login_as, world, travel
):
    """The budget row counts approved and awaiting bookings of this year's
    budget (not last year's, not another team's, not one that needs no
    approval), and the plans are the team's people's plans that meet the year."""
    travel(_at(6, 15))
    pia, team = world.pia, world.team_a
    budgets.set_budget_unchecked(team, YEAR, Decimal("30000"))
    budgets.set_budget_unchecked(team, YEAR - 1, Decimal("99000"))
    budgets.set_budget_unchecked(world.team_b, YEAR, Decimal("50000"))
    confirmed, requested = BookingStatus.confirmed, BookingStatus.requested
    _book(pia, team, booked=_at(3, 10), status=confirmed, price=6000, approval=True)
    _book(pia, team, booked=_at(4, 2), status=requested, price=2500, approval=True)
    _book(pia, team, booked=_at(4, 3), status=requested, price=1500, approval=True)
    _book(pia, team, booked=_at(4, 4), status=confirmed, price=700)  # no approval
    _book(
        world.per,
        world.team_b,
        booked=_at(3, 1),
        status=confirmed,
        price=9000,
        approval=True,
    )
    for person, starts in ((pia, date(YEAR, 1, 1)), (world.per, date(YEAR, 1, 1))):
        db.session.add(
            Plan(
                owner_id=person.id,
                team_id=person.team_id,
                starts_on=starts,
                ends_on=date(YEAR, 12, 31),
                status=PlanStatus.submitted,
            )
        )
    db.session.add(
        Plan(
            owner_id=pia.id,
            team_id=team.id,
            starts_on=date(YEAR - 1, 1, 1),
            ends_on=date(YEAR - 1, 12, 31),
            status=PlanStatus.approved,
        )
    )
    db.session.commit()
    login_as(world.manager_a)

    page = client.get(f"/rapporter/team?aar={YEAR}").get_data(as_text=True)

    assert _cells(page, "budget") == [
        [
            "30.000,00 kr.",
            "6.000,00 kr.",
            "24.000,00 kr.",
            "4.000,00 kr.",
            "20.000,00 kr.",
        ]
    ]
    plans = dict(row[:2] for row in _cells(page, "planer"))
    assert plans["Indsendt"] == "1"
    assert plans["Godkendt"] == "0"
    assert budgets.summary(team, YEAR)["pending_count"] == 2
