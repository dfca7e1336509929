"""Budgets per org unit and year: what approved bookings have committed, what
requests awaiting approval would add, and what would remain after both."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.audit import record
from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from courses.bookings.errors import BookingError
from courses.bookings.models import (
    COMMITTED_STATUSES,
    Booking,
    BookingStatus,
    Budget,
)


def set_budget(actor: User, unit: OrgUnit, year: int, amount: Decimal) -> Budget:
    """Set (or change) the unit's budget for the year."""
    if amount is None or amount < 0:
        raise BookingError("bad_amount")
    budget = db.session.scalar(
        sa.select(Budget).where(Budget.org_unit_id == unit.id, Budget.year == year)
    )
    before = {"amount": str(budget.amount)} if budget else None
    if budget is None:
        budget = Budget(org_unit=unit, year=year, amount=amount)
        db.session.add(budget)
    budget.amount, budget.set_by_id = amount, actor.id
    db.session.flush()
    record(
        actor,
        "budget.set",
        budget,
        before=before,
        after={"org_unit_id": unit.id, "year": year, "amount": str(amount)},
    )
    return budget


def set_budget_unchecked(unit: OrgUnit, year: int, amount: Decimal) -> Budget:
    """For the demo loader: a budget set by nobody in particular."""
    budget = Budget(org_unit=unit, year=year, amount=amount)
    db.session.add(budget)
    db.session.flush()
    return budget


def team_ids(unit: OrgUnit) -> list[int]:
    """The teams whose bookings the unit's budget counts (a jobcentre: its teams)."""
    if unit.kind is UnitKind.team:
        return [unit.id]
    return list(
        db.session.scalars(
            sa.select(OrgUnit.id).where(
                OrgUnit.parent_id == unit.id, OrgUnit.kind == UnitKind.team
            )
        )
    )


# Paid bookings charged to a budget: those that need the manager's approval.
_CHARGED = (Booking.needs_approval.is_(True), Booking.price > 0)
_IS_PENDING = Booking.status == BookingStatus.requested
_IS_COMMITTED = Booking.status.in_(COMMITTED_STATUSES)


def committed_query(team_ids, year: int):
    """Approved bookings that count against the budget of these teams in `year`."""
    return sa.select(Booking).where(
        Booking.team_id.in_(team_ids),
        Booking.budget_year == year,
        *_CHARGED,
        _IS_COMMITTED,
    )


def counts_as_pending(booking: Booking) -> bool:
    """The booking is among the requests pending_query() finds (in Python, for
    bookings a page has loaded already)."""
    return (
        booking.status is BookingStatus.requested
        and booking.needs_approval
        and booking.price > 0
    )


def charged_query(team_ids, year: int):
    """committed_query() and pending_query() together: every booking the budget
    counts (counts_as_pending() tells the requests from the approved)."""
    return sa.select(Booking).where(
        Booking.team_id.in_(team_ids), Booking.budget_year == year, *_counted()
    )


def pending_query(team_ids, year: int):
    """Requests awaiting approval that would count against the same budget."""
    return sa.select(Booking).where(
        Booking.team_id.in_(team_ids),
        Booking.budget_year == year,
        *_CHARGED,
        _IS_PENDING,
    )


def _sums():
    """Committed and pending prices and the number of pending requests, as the
    columns of one aggregate query (a sum per group, never a query per row)."""
    return (
        sa.func.coalesce(
            sa.func.sum(sa.case((_IS_COMMITTED, Booking.price), else_=0)), 0
        ).label("committed"),
        sa.func.coalesce(
            sa.func.sum(sa.case((_IS_PENDING, Booking.price), else_=0)), 0
        ).label("pending"),
        sa.func.count(sa.case((_IS_PENDING, Booking.id))).label("requests"),
    )


def _counted():
    return (*_CHARGED, sa.or_(_IS_COMMITTED, _IS_PENDING))


@dataclass(frozen=True)
class Spending:
    """What paid bookings charge a budget: approved, requested, and how many
    requests."""

    committed: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    requests: int = 0

    def __add__(self, other: "Spending") -> "Spending":
        return Spending(
            self.committed + other.committed,
            self.pending + other.pending,
            self.requests + other.requests,
        )


def _spending(row) -> Spending:
    return Spending(Decimal(row.committed), Decimal(row.pending), row.requests)


def amount_of(unit: OrgUnit, year: int) -> Decimal | None:
    """The unit's budget for the year (None: not set)."""
    return db.session.scalar(
        sa.select(Budget.amount).where(
            Budget.org_unit_id == unit.id, Budget.year == year
        )
    )


def figures_of(amount: Decimal | None, charged: list[Booking]) -> dict:
    """summary()'s figures from the bookings charged_query() found, loaded
    already (no query)."""
    pending = [b for b in charged if counts_as_pending(b)]
    return _figures(
        amount,
        Spending(
            sum((b.price for b in charged if not counts_as_pending(b)), Decimal(0)),
            sum((b.price for b in pending), Decimal(0)),
            len(pending),
        ),
    )


def summary(unit: OrgUnit, year: int) -> dict:
    """The figures of one unit (a jobcentre sums its teams)."""
    teams = team_ids(unit)
    spent = Spending()
    if teams:
        spent = _spending(
            db.session.execute(
                sa.select(*_sums()).where(
                    Booking.team_id.in_(teams), Booking.budget_year == year, *_counted()
                )
            ).one()
        )
    return _figures(amount_of(unit, year), spent)


def _figures(amount, spent: Spending) -> dict:
    """Budget; committed (approved bookings) and what remains after it; pending
    (requests awaiting approval, and how many) and what would remain if every
    pending request were approved."""
    remaining = None if amount is None else amount - spent.committed
    return {
        "budget": amount,
        "committed": spent.committed,
        "remaining": remaining,
        "pending": spent.pending,
        "pending_count": spent.requests,
        "remaining_if_approved": (
            None if remaining is None else remaining - spent.pending
        ),
    }


def summaries_for_teams(pairs) -> dict[tuple[int, int], dict]:
    """Figures for many (team id, year) pairs in two queries (the approval inbox)."""
    pairs = {(t, y) for t, y in pairs if t is not None}
    if not pairs:
        return {}
    teams = {t for t, _ in pairs}
    years = {y for _, y in pairs}
    amounts = {
        (row.org_unit_id, row.year): row.amount
        for row in db.session.execute(
            sa.select(Budget.org_unit_id, Budget.year, Budget.amount).where(
                Budget.org_unit_id.in_(teams), Budget.year.in_(years)
            )
        )
    }
    sums = {
        (row.team_id, row.budget_year): _spending(row)
        for row in db.session.execute(
            sa.select(Booking.team_id, Booking.budget_year, *_sums())
            .where(
                Booking.team_id.in_(teams),
                Booking.budget_year.in_(years),
                *_counted(),
            )
            .group_by(Booking.team_id, Booking.budget_year)
        )
    }
    return {p: _figures(amounts.get(p), sums.get(p, Spending())) for p in pairs}


def summaries(units: list[OrgUnit], year: int) -> dict[int, dict]:
    """Figures for many units in two queries; a jobcentre sums its teams."""
    if not units:
        return {}
    ids = [u.id for u in units]
    amounts = dict(
        db.session.execute(
            sa.select(Budget.org_unit_id, Budget.amount).where(
                Budget.org_unit_id.in_(ids), Budget.year == year
            )
        ).all()
    )
    team = aliased(OrgUnit)
    rows = db.session.execute(
        sa.select(Booking.team_id, team.parent_id, *_sums())
        .join(team, team.id == Booking.team_id)
        .where(
            sa.or_(Booking.team_id.in_(ids), team.parent_id.in_(ids)),
            Booking.budget_year == year,
            *_counted(),
        )
        .group_by(Booking.team_id, team.parent_id)
    ).all()
    spent: dict[int, Spending] = {}
    for row in rows:
        for unit_id in (row.team_id, row.parent_id):
            spent[unit_id] = spent.get(unit_id, Spending()) + _spending(row)
    return {i: _figures(amounts.get(i), spent.get(i, Spending())) for i in ids}
