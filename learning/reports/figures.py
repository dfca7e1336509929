"""The team report's figures beside its demand: spend against the budget month
by month, plans by state, bookings and completions over the year, and the
budget's figures: one statement whatever the team's size."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

from core.clock import COPENHAGEN, local_date
from core.db import db
from core.people.models import OrgUnit
from courses.bookings import budgets
from courses.bookings.models import Booking, BookingStatus, Budget
from courses.sessions.models import CourseSession
from learning.plans.models import Plan, PlanKind, PlanStatus

MONTHS = range(1, 13)


@dataclass
class Year:
    """A team's year: the budget's figures (courses.bookings.budgets), what was
    committed by the end of each month, the plans by state, and per month the
    bookings made and the courses completed."""

    year: int
    budget: dict
    spent_by_month: list[Decimal]  # committed so far at each month's end
    plans: dict[PlanStatus, int]
    booked: list[int]  # bookings made in each month
    completed: list[int]  # bookings completed, by the month the course ended


def _start(year: int) -> datetime:
    return datetime.combine(date(year, 1, 1), time(), COPENHAGEN)


def _month(moment: datetime, year: int) -> int:
    """The month index (0-11) of `moment` within `year`, clamped to the year."""
    day = local_date(moment)
    if day.year != year:
        return 0 if day.year < year else 11
    return day.month - 1


# What a row of team_year()'s statement is.
_BOOKING, _PLANS, _BUDGET = 0, 1, 2
# What a booking is to the year's budget (budgets.charged_query's rule).
_UNCHARGED, _COMMITTED, _PENDING = 0, 1, 2


@dataclass(frozen=True)
class _Charged:
    """A booking the budget counts, as budgets.figures_of reads it."""

    status: BookingStatus
    needs_approval: bool
    price: Decimal


def _statement(team: OrgUnit, year: int):
    """The team's bookings for the year, its plans by state and its budget, in
    one statement: a row a booking (charged to this year's budget, approved or
    awaiting approval, made this year, or completed this year), a row a plan
    state with its count in the price column, and a row with the budget."""
    counted = budgets.charged_query([team.id], year).whereclause
    committed = budgets.committed_query([team.id], year).whereclause
    as_text = sa.String
    bookings = (
        sa.select(
            sa.literal(_BOOKING).label("kind"),
            Booking.booked_at,
            sa.cast(Booking.status, as_text).label("status"),
            Booking.price,
            CourseSession.ends_at,
            sa.case(
                (committed, _COMMITTED), (counted, _PENDING), else_=_UNCHARGED
            ).label("charged"),
        )
        .join(CourseSession, CourseSession.id == Booking.course_session_id)
        .where(
            Booking.team_id == team.id,
            sa.or_(
                counted,
                sa.and_(
                    Booking.booked_at >= _start(year),
                    Booking.booked_at < _start(year + 1),
                ),
                sa.and_(
                    Booking.status == BookingStatus.completed,
                    CourseSession.ends_at >= _start(year),
                    CourseSession.ends_at < _start(year + 1),
                ),
            ),
        )
    )
    plans = (
        sa.select(
            sa.literal(_PLANS),
            sa.null(),
            sa.cast(Plan.status, as_text),
            sa.func.count(Plan.id),
            sa.null(),
            sa.null(),
        )
        .where(
            Plan.kind == PlanKind.person,
            Plan.team_id == team.id,
            Plan.starts_on <= date(year, 12, 31),
            Plan.ends_on >= date(year, 1, 1),
        )
        .group_by(Plan.status)
    )
    budget = sa.select(
        sa.literal(_BUDGET), sa.null(), sa.null(), Budget.amount, sa.null(), sa.null()
    ).where(Budget.org_unit_id == team.id, Budget.year == year)
    return sa.union_all(bookings, plans, budget)


def team_year(team: OrgUnit, year: int) -> Year:
    """One statement whatever the team's size (_statement)."""
    spent = [Decimal(0)] * 12
    booked = [0] * 12
    completed = [0] * 12
    plans: Counter = Counter()
    amount = None
    counted: list[_Charged] = []
    for kind, booked_at, text, price, ends_at, charged in db.session.execute(
        _statement(team, year)
    ):
        if kind == _PLANS:
            plans[PlanStatus(text)] = int(price)
            continue
        if kind == _BUDGET:
            amount = price
            continue
        status = BookingStatus(text)
        if charged != _UNCHARGED:
            # needs_approval and a price: the charged rule holds for both kinds
            counted.append(_Charged(status, True, price))
        if charged == _COMMITTED:
            spent[_month(booked_at, year)] += price
        if local_date(booked_at).year == year:
            booked[_month(booked_at, year)] += 1
        ended = ends_at is not None and local_date(ends_at).year == year
        if status is BookingStatus.completed and ended:
            completed[_month(ends_at, year)] += 1
    running, total = [], Decimal(0)
    for amount_spent in spent:
        total += amount_spent
        running.append(total)
    return Year(
        year,
        budgets.figures_of(amount, counted),
        running,
        {status: plans.get(status, 0) for status in PlanStatus},
        booked,
        completed,
    )
