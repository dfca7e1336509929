"""What the plan pages show, read in a fixed number of queries: the plan with its
goals, activities and history; the owner's gaps, talk topics and suggestions;
colleagues who could help; the cost and who pays."""

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from core.db import db
from core.people.models import OrgUnit, User
from courses.bookings import services as bookings
from courses.bookings.models import Booking
from courses.sessions.models import CourseSession
from learning.assessments import services as assessments
from learning.competences import services as framework
from learning.internal import mentoring
from learning.matching import person_page, presenting
from learning.plans import figures
from learning.plans.models import (
    Plan,
    PlanActivity,
    PlanDecision,
    PlanGoal,
    PlanKind,
)

SUGGESTIONS = 6


def _activity_options():
    return (
        joinedload(PlanActivity.booking),
        joinedload(PlanActivity.colleague).lazyload(User.role_rows),
        joinedload(PlanActivity.completed_by).lazyload(User.role_rows),
        joinedload(PlanActivity.course_session).joinedload(CourseSession.course),
        joinedload(PlanActivity.diploma_module),
    )


def plan_query(*, goals: bool = True, decisions: bool = True, activities=True):
    """A plan with what its pages show. Goals and decisions (a few rows each) join
    the plan's own row; activities, the longest list, come in one query more, or
    join the plan's row when it is the only list a page asks for, or are left
    to the caller (`activities=False`, see load_plan_with_fund)."""
    people = (
        joinedload(Plan.owner).joinedload(User.team).joinedload(OrgUnit.parent),
        # People are shown by name; their roles load only if something asks.
        joinedload(Plan.owner).lazyload(User.role_rows),
        joinedload(Plan.unit).joinedload(OrgUnit.parent),
        joinedload(Plan.decided_by).lazyload(User.role_rows),
    )
    lists = []
    if goals:
        lists.append(joinedload(Plan.goals).joinedload(PlanGoal.competence))
    if decisions:
        lists.append(
            joinedload(Plan.decisions)
            .joinedload(PlanDecision.actor)
            .lazyload(User.role_rows)
        )
    if activities:
        load_activities = selectinload if lists else joinedload
        lists.append(load_activities(Plan.activities).options(*_activity_options()))
    return sa.select(Plan).options(*people, *lists)


def load_plan(plan_id: int) -> Plan | None:
    return (
        db.session.scalars(plan_query().where(Plan.id == plan_id))
        .unique()
        .one_or_none()
    )


def load_plan_with_fund(plan_id: int) -> tuple[Plan | None, dict[int, Decimal]]:
    """load_plan(), and what the fund already pays for the owner's other plans
    in the plan's 12 months (figures.fund_used_before), from one read of the
    owner's activities: the plan's own, and those of other plans counted
    against the cap in its window (a few rows), instead of two reads of the
    same table."""
    plan = (
        db.session.scalars(plan_query(activities=False).where(Plan.id == plan_id))
        .unique()
        .one_or_none()
    )
    if plan is None:
        return None, {}
    mine = PlanActivity.plan_id == plan.id
    if plan.kind is PlanKind.person and plan.owner_id is not None:
        start, end = figures.cap_window(plan.starts_on)
        mine = sa.or_(
            mine,
            sa.and_(
                Plan.owner_id == plan.owner_id,
                Plan.starts_on >= start,
                Plan.starts_on < end,
                figures.counted_against_cap(),
            ),
        )
    rows = db.session.execute(
        sa.select(PlanActivity, Plan.starts_on)
        .join(Plan, Plan.id == PlanActivity.plan_id)
        .where(mine)
        .options(*_activity_options())
        .order_by(Plan.starts_on, Plan.id, PlanActivity.id)
    ).all()
    own = sorted((a for a, _s in rows if a.plan_id == plan.id), key=lambda a: a.id)
    set_committed_value(plan, "activities", own)
    counted = [
        (a.plan_id, plan.owner_id, starts_on, a.cost)
        for a, starts_on in rows
        if a.plan_id != plan.id
    ]
    return plan, figures.fund_used_from([plan], counted)


@dataclass
class Detail:
    plan: Plan
    figures: figures.PlanFigures
    scale: object
    positions: dict[int, int] = field(default_factory=dict)
    gaps: list = field(default_factory=list)  # (CompetenceGap, Competence)
    topics: list = field(default_factory=list)


def detail(
    plan: Plan,
    *,
    with_budget: bool = True,
    gaps: bool = True,
    fund_used: dict[int, Decimal] | None = None,
) -> Detail:
    """The page's data. The team's budget figures are read only for those shown
    them (`with_budget`), the owner's gaps (one statement, with the competences
    they name) only for pages that list them (`gaps`), the fund's use only when
    the caller has not (`fund_used`, load_plan_with_fund). What the owner may add
    (suggestions, mentors) is additions(), on a page of its own."""
    booked = [a.booking for a in plan.activities if a.booking is not None]
    found = figures.for_plans([plan], with_budget=with_budget, fund_used=fund_used)
    data = Detail(
        plan,
        found[plan.id],
        framework.get_scale(),
        bookings.waitlist_positions(booked) if booked else {},
    )
    owner = plan.owner
    if owner is None or not gaps:
        return data
    found, competences = assessments.gaps_and_competences([owner.id])
    person_gaps = found.get(owner.id)
    items = person_gaps.items if person_gaps else []
    goal_ids = {g.competence_id for g in plan.goals}
    data.gaps = [
        (i, competences[i.competence_id])
        for i in (person_gaps.in_order() if person_gaps else [])
        if i.competence_id not in goal_ids
    ]
    data.topics = [(i, competences[i.competence_id]) for i in items if i.talk_topic]
    return data


@dataclass
class Additions:
    """What the owner picks from to add activities to a person's plan."""

    plan: Plan
    scale: object
    suggestions: list = field(default_factory=list)  # presenting.Row
    mentors: list = field(default_factory=list)  # mentoring.GapMentors
    colleagues: list[User] = field(default_factory=list)


def additions(plan: Plan) -> Additions:
    """The sessions suggested for the owner's gaps (those not in the plan yet),
    the colleagues who could help with the largest gaps, and the jobcentre's
    colleagues to name in an activity of one's own."""
    owner = plan.owner
    data = Additions(plan, framework.get_scale())
    in_plan = frozenset(
        a.course_session_id for a in plan.activities if a.course_session_id
    )
    found = person_page.suggestion_page(
        owner, size=SUGGESTIONS, leave_out=in_plan, places=False
    )
    data.suggestions = presenting.rows_for(
        owner, found.items, found.competences, (found.sessions, found.queues)
    )
    data.mentors = mentoring.mentors_for(owner, max_gaps=4)
    data.colleagues = colleagues_of(owner)
    return data


def colleagues_of(person: User) -> list[User]:
    """The person's jobcentre colleagues, for naming who they learn from."""
    if person.team is None or person.team.parent_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(OrgUnit, OrgUnit.id == User.team_id)
            .where(
                OrgUnit.parent_id == person.team.parent_id,
                User.active.is_(True),
                User.id != person.id,
            )
            .options(lazyload(User.role_rows))  # named only
            .order_by(User.name)
        )
    )


def bookings_of(plans: list[Plan]) -> list[Booking]:
    return [a.booking for p in plans for a in p.activities if a.booking is not None]
