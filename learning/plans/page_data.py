"""What the plan pages show, read in a fixed number of queries: the plan with its
goals, activities and history; the owner's gaps, talk topics and suggestions;
colleagues who could help; the cost and who pays."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from core.db import db
from core.people.models import OrgUnit, User
from courses.bookings import services as bookings
from courses.bookings.models import Booking
from courses.sessions.models import CourseSession
from learning.assessments import services as assessments
from learning.competences import services as framework
from learning.internal import mentoring
from learning.matching import engine, presenting
from learning.plans import figures
from learning.plans.models import Plan, PlanActivity, PlanDecision, PlanGoal

SUGGESTIONS = 6


def plan_query(*, goals: bool = True, decisions: bool = True):
    """A plan with what its pages show. Goals and decisions (a few rows each) join
    the plan's own row; activities, the longest list, come in one query more, or
    join the plan's row when it is the only list a page asks for."""
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
    load_activities = selectinload if lists else joinedload
    lists.append(
        load_activities(Plan.activities).options(
            joinedload(PlanActivity.booking),
            joinedload(PlanActivity.colleague).lazyload(User.role_rows),
            joinedload(PlanActivity.completed_by).lazyload(User.role_rows),
            joinedload(PlanActivity.course_session).joinedload(CourseSession.course),
            joinedload(PlanActivity.diploma_module),
        )
    )
    return sa.select(Plan).options(*people, *lists)


def load_plan(plan_id: int) -> Plan | None:
    return (
        db.session.scalars(plan_query().where(Plan.id == plan_id))
        .unique()
        .one_or_none()
    )


@dataclass
class Detail:
    plan: Plan
    figures: figures.PlanFigures
    scale: object
    positions: dict[int, int] = field(default_factory=dict)
    gaps: list = field(default_factory=list)  # (CompetenceGap, Competence)
    topics: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)  # presenting.Row
    mentors: list = field(default_factory=list)  # mentoring.GapMentors
    colleagues: list[User] = field(default_factory=list)


def detail(
    plan: Plan, *, planning: bool, with_budget: bool = True, gaps: bool = True
) -> Detail:
    """The page's data; `planning` adds the suggestions and helpers the owner
    picks from while the plan can be edited. The team's budget figures are read
    only for those shown them (`with_budget`), the owner's gaps only for pages
    that list them (`gaps`)."""
    booked = [a.booking for a in plan.activities if a.booking is not None]
    data = Detail(
        plan,
        figures.for_plans([plan], with_budget=with_budget)[plan.id],
        framework.get_scale(),
        bookings.waitlist_positions(booked) if booked else {},
    )
    owner = plan.owner
    if owner is None or not gaps:
        return data
    gaps = assessments.gaps_for([owner.id]).get(owner.id)
    items = gaps.items if gaps else []
    competences = assessments.competences_by_id(i.competence_id for i in items)
    goal_ids = {g.competence_id for g in plan.goals}
    data.gaps = [
        (i, competences[i.competence_id])
        for i in (gaps.in_order() if gaps else [])
        if i.competence_id not in goal_ids
    ]
    data.topics = [(i, competences[i.competence_id]) for i in items if i.talk_topic]
    if planning:
        ranked, loaded = engine.suggestions_for([owner])
        in_plan = {a.course_session_id for a in plan.activities}
        chosen = [
            s for s in ranked[owner.id] if s.offer.course_session_id not in in_plan
        ][:SUGGESTIONS]
        data.suggestions = presenting.rows_for(owner, chosen, loaded.competences)
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
