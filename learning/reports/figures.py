"""The team report's figures beside its demand: spend against the budget month
by month, plans by state, bookings and completions over the year. Each is one
aggregate query whatever the team's size."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

from core.clock import COPENHAGEN, local_date
from core.db import db
from core.people.models import OrgUnit
from courses.bookings import budgets
from courses.bookings.models import Booking, BookingStatus
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


def team_year(team: OrgUnit, year: int) -> Year:
    spent = [Decimal(0)] * 12
    booked = [0] * 12
    completed = [0] * 12
    # One read of the team's bookings: those charged to this year's budget (the
    # budget's own rule; by the month booked, December's running total is its
    # 'committed'), those made this year and those completed this year.
    charged = budgets.committed_query([team.id], year).whereclause
    rows = db.session.execute(
        sa.select(
            Booking.booked_at,
            Booking.status,
            Booking.price,
            CourseSession.ends_at,
            sa.case((charged, True), else_=False).label("charged"),
        )
        .join(CourseSession, CourseSession.id == Booking.course_session_id)
        .where(
            Booking.team_id == team.id,
            sa.or_(
                charged,
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
    for booked_at, status, price, ends_at, is_charged in rows:
        if is_charged:
            spent[_month(booked_at, year)] += price
        if local_date(booked_at).year == year:
            booked[_month(booked_at, year)] += 1
        ended = ends_at is not None and local_date(ends_at).year == year
        if status is BookingStatus.completed and ended:
            completed[_month(ends_at, year)] += 1
    running, total = [], Decimal(0)
    for amount in spent:
        total += amount
        running.append(total)
    plans = Counter(
        dict(
            db.session.execute(
                sa.select(Plan.status, sa.func.count(Plan.id))
                .where(
                    Plan.kind == PlanKind.person,
                    Plan.team_id == team.id,
                    Plan.starts_on <= date(year, 12, 31),
                    Plan.ends_on >= date(year, 1, 1),
                )
                .group_by(Plan.status)
            ).all()
        )
    )
    return Year(
        year,
        budgets.summary(team, year),
        running,
        {status: plans.get(status, 0) for status in PlanStatus},
        booked,
        completed,
    )
