"""The team report's year (issue 14): bookings made, courses completed and the
spend approved against the budget, month by month, on the page and in the
workbook. Only bookings charged to the year's budget count as spend (the
budget's own rule: paid, needing approval, approved), by the month booked;
a booking made last December for this year's budget counts from January."""

import io
import re
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from core.clock import COPENHAGEN
from core.db import db
from courses.bookings.models import Booking, BookingStatus
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


def _months(page: str) -> list[list[str]]:
    body = page[page.index('id="maaneder"') :]
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

    months = _months(page)
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
