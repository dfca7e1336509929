"""What a plan costs and who pays: the Kompetencefond's share against the
person's cap, and the team's budget with what is already committed. A fixed
number of queries per plan, and per page of plans."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from core.db import db
from courses.bookings import budgets
from learning.plans import funding
from learning.plans.models import (
    ActivityStatus,
    Funding,
    Plan,
    PlanActivity,
    PlanKind,
    PlanStatus,
)

# Plans whose fund share counts against the cap.
_FUNDED = (PlanStatus.submitted, PlanStatus.approved, PlanStatus.completed)


def _lines(activities) -> list[funding.Line]:
    return [
        funding.Line(a.cost, a.funding)
        for a in activities
        if a.status is not ActivityStatus.dropped
    ]


def cap_window(starts_on: date) -> tuple[date, date]:
    """The 12 months the fund's cap is counted over: the plan's first year."""
    try:
        end = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # 29 February
        end = starts_on.replace(year=starts_on.year + 1, day=28)
    return starts_on, end


def counted_against_cap():
    """What makes an activity count against its owner's fund cap: paid by the
    fund, not dropped, in a person plan that is submitted or decided."""
    return sa.and_(
        Plan.kind == PlanKind.person,
        Plan.status.in_(_FUNDED),
        PlanActivity.funding == Funding.fund,
        PlanActivity.status != ActivityStatus.dropped,
    )


def fund_used_before(plans: list[Plan]) -> dict[int, Decimal]:
    """For each person plan, what the fund pays for the same person's other
    plans within its 12 months: one query for any number of plans."""
    person_plans = [p for p in plans if p.kind is PlanKind.person]
    if not person_plans:
        return {}
    owners = {p.owner_id for p in person_plans}
    rows = db.session.execute(
        sa.select(Plan.id, Plan.owner_id, Plan.starts_on, PlanActivity.cost)
        .join(PlanActivity, PlanActivity.plan_id == Plan.id)
        .where(Plan.owner_id.in_(owners), counted_against_cap())
        .order_by(Plan.starts_on, Plan.id, PlanActivity.id)
    ).all()
    return fund_used_from(person_plans, rows)


def fund_used_from(plans: list[Plan], rows) -> dict[int, Decimal]:
    """fund_used_before() from rows already read: (plan id, owner id, the
    plan's first day, cost) of the activities counted against the cap, in the
    order the cap is shared out (the plans' first days, then ids)."""
    person_plans = [p for p in plans if p.kind is PlanKind.person]
    result = {}
    for plan in person_plans:
        start, end = cap_window(plan.starts_on)
        others = [
            funding.Line(cost, Funding.fund)
            for plan_id, owner_id, starts_on, cost in rows
            if owner_id == plan.owner_id
            and plan_id != plan.id
            and start <= starts_on < end
        ]
        result[plan.id] = funding.split(others).fund
    return result


@dataclass(frozen=True)
class PlanFigures:
    totals: funding.Totals
    budget: dict | None  # the team's budget figures (courses.bookings.budgets)
    year: int
    # What this plan's own requests add to the team's pending figure: its cost
    # is already counted in `totals`, so it is not counted twice.
    own_pending: Decimal = Decimal(0)

    @property
    def remaining_after(self) -> Decimal | None:
        """What the team's budget would have left if this plan is approved: the
        plan's jobcentre share not yet committed by approved bookings."""
        if self.budget is None or self.budget["remaining"] is None:
            return None
        return self.budget["remaining"] - self.totals.jobcentre

    @property
    def other_pending(self) -> Decimal:
        """The team's other requests awaiting approval against the same budget."""
        if self.budget is None:
            return Decimal(0)
        return max(Decimal(0), self.budget["pending"] - self.own_pending)

    @property
    def remaining_if_all_approved(self) -> Decimal | None:
        """What would be left if this plan and every other pending request of
        the team were approved."""
        after = self.remaining_after
        return None if after is None else after - self.other_pending


def for_plans(
    plans: list[Plan],
    *,
    with_budget: bool = True,
    fund_used: dict[int, Decimal] | None = None,
) -> dict[int, PlanFigures]:
    """Figures for many plans in three queries (fund use, budgets, bookings);
    without the first when the caller read the fund's use (`fund_used`)."""
    used = fund_used_before(plans) if fund_used is None else fund_used
    pairs = {(p.team_id, p.starts_on.year) for p in plans if p.team_id}
    summaries = budgets.summaries_for_teams(pairs) if with_budget and pairs else {}
    result = {}
    for plan in plans:
        totals = funding.split(
            _lines(plan.activities), fund_used_before=used.get(plan.id, Decimal(0))
        )
        result[plan.id] = PlanFigures(
            totals,
            summaries.get((plan.team_id, plan.starts_on.year)),
            plan.starts_on.year,
            _own_pending(plan) if with_budget else Decimal(0),
        )
    return result


def _own_pending(plan: Plan) -> Decimal:
    """The prices of the plan's requests that its team's pending figure holds."""
    return sum(
        (
            a.booking.price
            for a in plan.activities
            if a.booking is not None
            and budgets.counts_as_pending(a.booking)
            and a.booking.team_id == plan.team_id
            and a.booking.budget_year == plan.starts_on.year
        ),
        Decimal(0),
    )


def for_plan(plan: Plan) -> PlanFigures:
    return for_plans([plan])[plan.id]
