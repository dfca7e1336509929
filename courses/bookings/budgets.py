"""Budgets per org unit and year, and what approved bookings have committed."""

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.audit import record
from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from courses.bookings.errors import BookingError
from courses.bookings.models import COMMITTED_STATUSES, Booking, Budget


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


def _team_ids(unit: OrgUnit) -> list[int]:
    if unit.kind is UnitKind.team:
        return [unit.id]
    return list(
        db.session.scalars(
            sa.select(OrgUnit.id).where(
                OrgUnit.parent_id == unit.id, OrgUnit.kind == UnitKind.team
            )
        )
    )


def committed_query(team_ids, year: int):
    """Approved bookings that count against the budget of these teams in `year`."""
    return sa.select(Booking).where(
        Booking.team_id.in_(team_ids),
        Booking.budget_year == year,
        Booking.needs_approval.is_(True),
        Booking.price > 0,
        Booking.status.in_(COMMITTED_STATUSES),
    )


def summary(unit: OrgUnit, year: int) -> dict:
    """Budget, committed and remaining for one unit (a jobcentre sums its teams)."""
    teams = _team_ids(unit)
    committed = _committed_sum(teams, year)
    amount = db.session.scalar(
        sa.select(Budget.amount).where(
            Budget.org_unit_id == unit.id, Budget.year == year
        )
    )
    return _figures(amount, committed)


def _committed_sum(team_ids, year: int) -> Decimal:
    if not team_ids:
        return Decimal(0)
    sub = committed_query(team_ids, year).subquery()
    total = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(sub.c.price), 0)))
    return Decimal(total)


def _figures(amount, committed: Decimal) -> dict:
    remaining = None if amount is None else amount - committed
    return {"budget": amount, "committed": committed, "remaining": remaining}


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
        (row.team_id, row.budget_year): Decimal(row.total)
        for row in db.session.execute(
            sa.select(
                Booking.team_id,
                Booking.budget_year,
                sa.func.sum(Booking.price).label("total"),
            )
            .where(
                Booking.team_id.in_(teams),
                Booking.budget_year.in_(years),
                Booking.needs_approval.is_(True),
                Booking.price > 0,
                Booking.status.in_(COMMITTED_STATUSES),
            )
            .group_by(Booking.team_id, Booking.budget_year)
        )
    }
    return {p: _figures(amounts.get(p), sums.get(p, Decimal(0))) for p in pairs}


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
        sa.select(Booking.team_id, team.parent_id, sa.func.sum(Booking.price))
        .join(team, team.id == Booking.team_id)
        .where(
            sa.or_(Booking.team_id.in_(ids), team.parent_id.in_(ids)),
            Booking.budget_year == year,
            Booking.needs_approval.is_(True),
            Booking.price > 0,
            Booking.status.in_(COMMITTED_STATUSES),
        )
        .group_by(Booking.team_id, team.parent_id)
    ).all()
    spent: dict[int, Decimal] = {}
    for team_id, parent_id, total in rows:
        for unit_id in (team_id, parent_id):
            spent[unit_id] = spent.get(unit_id, Decimal(0)) + Decimal(total)
    return {i: _figures(amounts.get(i), spent.get(i, Decimal(0))) for i in ids}
