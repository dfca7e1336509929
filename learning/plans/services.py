"""Plan operations for views, the CLI and tests: the acting user is an argument;
they flush and never commit; refusals are PlanError. The state changes and what
they do to bookings are in decisions.py."""

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from core.audit import record
from core.clock import now
from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from core.templating import long_date
from courses.bookings import services as bookings
from courses.diplomas.models import DiplomaModule
from courses.sessions.models import CourseSession
from learning.assessments import services as assessments
from learning.competences import services as framework
from learning.competences.models import Competence
from learning.matching.models import CourseCompetence
from learning.plans import parties
from learning.plans.errors import PlanError
from learning.plans.labels import STATUS_LABELS
from learning.plans.models import (
    ActivityKind,
    ActivityStatus,
    Funding,
    Plan,
    PlanActivity,
    PlanGoal,
    PlanKind,
    PlanStatus,
)
from learning.plans.parties import Party

MAX_COST = Decimal("10000000")
TEXT_MAX = 4000
MAX_PERIOD_DAYS = 3 * 366


# --- periods -----------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def period_containing(day: date) -> tuple[date, date]:
    """The plan period `day` falls in: PLAN_PERIOD_MONTHS long (12), the first
    beginning in PLAN_YEAR_STARTS (January), so by default a calendar year."""
    months = current_app.config.get("PLAN_PERIOD_MONTHS", 12)
    first = current_app.config.get("PLAN_YEAR_STARTS", 1)
    start = date(day.year, first, 1)
    while start > day:
        start = _add_months(start, -months)
    while _add_months(start, months) <= day:
        start = _add_months(start, months)
    return start, _add_months(start, months) - timedelta(days=1)


def next_period(day: date) -> tuple[date, date]:
    _, end = period_containing(day)
    return period_containing(end + timedelta(days=1))


# --- creating and editing -----------------------------------------------------------


def _check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on or (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise PlanError("bad_period", field="ends_on")


def create_plan(actor: User, person: User, *, starts_on: date, ends_on: date) -> Plan:
    """Start `person`'s plan for a period (they start their own)."""
    if actor.id != person.id and not actor.is_admin:
        raise PlanError("not_allowed")
    _check_period(starts_on, ends_on)
    overlapping = db.session.scalar(
        sa.select(Plan.starts_on).where(
            Plan.kind == PlanKind.person,
            Plan.owner_id == person.id,
            Plan.starts_on <= ends_on,
            Plan.ends_on >= starts_on,
        )
    )
    if overlapping is not None:
        raise PlanError("plan_exists", date=long_date(overlapping))
    plan = Plan(
        kind=PlanKind.person,
        owner=person,
        team_id=person.team_id,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    db.session.add(plan)
    db.session.flush()
    record(actor, "plan.create", plan, after=_period(plan))
    return plan


def create_unit_plan(
    actor: User,
    unit: OrgUnit,
    *,
    title: str,
    starts_on: date,
    ends_on: date,
    aims: str = "",
    strategy: str = "",
    responsible: str = "",
) -> Plan:
    """Start a plan owned by a jobcentre or a team (a regional advisory project)."""
    if unit.kind not in (UnitKind.jobcentre, UnitKind.team):
        raise PlanError("not_a_unit", field="unit_id")
    plan = Plan(kind=PlanKind.unit, unit=unit, starts_on=starts_on, ends_on=ends_on)
    if Party.editor not in parties.of(actor, plan):
        raise PlanError("not_allowed")
    _check_period(starts_on, ends_on)
    plan.title = _title(title)
    _set_texts(plan, aims=aims, strategy=strategy, responsible=responsible)
    db.session.add(plan)
    db.session.flush()
    record(actor, "plan.create", plan, after=_period(plan) | {"unit_id": unit.id})
    return plan


def _period(plan: Plan) -> dict:
    return {
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
    }


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise PlanError("bad_title", field="title")
    return title


def _text(value: str | None, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise PlanError("text_too_long", max=limit)
    return value


def _set_texts(plan: Plan, **texts) -> dict:
    """Set free-text fields; returns what changed, as (before, after)."""
    changed = {}
    for name, value in texts.items():
        if value is None:
            continue
        if name == "title":
            new = _title(value)
        else:
            new = _text(value, 300 if name == "responsible" else TEXT_MAX)
        if getattr(plan, name) != new:
            changed[name] = (getattr(plan, name), new)
            setattr(plan, name, new)
    return changed


def require_editable(actor: User, plan: Plan) -> None:
    if not {Party.owner, Party.editor} & parties.of(actor, plan):
        raise PlanError("not_allowed")
    if not plan.editable:
        raise PlanError("not_editable", status=str(STATUS_LABELS[plan.status]).lower())


def save_texts(actor: User, plan: Plan, **texts) -> None:
    """The owner's preparation (wishes, note), or a unit plan's aims, strategy,
    responsible and closing report, each by whoever may write it now."""
    mine = parties.of(actor, plan)
    closing = {"status_report", "aims_met"} & set(texts)
    if closing:
        if Party.editor not in mine or plan.status is not PlanStatus.approved:
            raise PlanError("not_allowed")
    else:
        require_editable(actor, plan)
    aims_met = texts.pop("aims_met", None)
    changed = _set_texts(plan, **texts)
    if aims_met is not None and aims_met != plan.aims_met:
        changed["aims_met"] = (plan.aims_met, aims_met)
        plan.aims_met = aims_met
    _audit_texts(actor, plan, changed)


def set_period(actor: User, plan: Plan, starts_on: date, ends_on: date) -> None:
    """Move a unit plan's period (a person's plan keeps the period it began with)."""
    require_editable(actor, plan)
    if plan.kind is not PlanKind.unit:
        raise PlanError("not_allowed")
    _check_period(starts_on, ends_on)
    if (plan.starts_on, plan.ends_on) != (starts_on, ends_on):
        before = _period(plan)
        plan.starts_on, plan.ends_on = starts_on, ends_on
        db.session.flush()
        record(actor, "plan.edit", plan, before=before, after=_period(plan))


def save_talk(
    actor: User,
    plan: Plan,
    *,
    manager_note: str | None = None,
    talk_on: date | None = None,
    talk_summary: str | None = None,
) -> None:
    """The manager's preparation and what the talk agreed (before the decision)."""
    if Party.approver not in parties.of(actor, plan) or plan.kind is PlanKind.unit:
        raise PlanError("not_allowed")
    if plan.status in (PlanStatus.approved, PlanStatus.completed):
        raise PlanError("not_editable", status=str(STATUS_LABELS[plan.status]).lower())
    changed = _set_texts(plan, manager_note=manager_note, talk_summary=talk_summary)
    if talk_on is not None and talk_on != plan.talk_on:
        changed["talk_on"] = (plan.talk_on, talk_on)
        plan.talk_on = talk_on
    _audit_texts(actor, plan, changed)


def _audit_texts(actor: User, plan: Plan, changed: dict) -> None:
    if not changed:
        return
    db.session.flush()
    record(
        actor,
        "plan.edit",
        plan,
        before={k: _plain(v[0]) for k, v in changed.items()},
        after={k: _plain(v[1]) for k, v in changed.items()},
    )


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


# --- goals -------------------------------------------------------------------------


def add_goal(
    actor: User,
    plan: Plan,
    *,
    competence_id: int | None = None,
    target_level: int | None = None,
    text: str = "",
) -> PlanGoal:
    """A competence to raise to `target_level`, or a goal in words."""
    require_editable(actor, plan)
    text = _text(text)
    if competence_id is None:
        if not text:
            raise PlanError("bad_goal")
        goal = PlanGoal(plan=plan, text=text)
    else:
        competence = db.session.get(Competence, competence_id)
        if competence is None or competence.retired:
            raise PlanError("bad_competence", field="competence_id")
        top = framework.get_scale().top
        if target_level is None or not 1 <= target_level <= top:
            raise PlanError("bad_level", field="target_level", top=top)
        if any(g.competence_id == competence_id for g in plan.goals):
            raise PlanError("goal_exists", field="competence_id")
        goal = PlanGoal(
            plan=plan, competence=competence, target_level=target_level, text=text
        )
    db.session.add(goal)
    db.session.flush()
    record(
        actor,
        "plan.goal_add",
        plan,
        after={
            "goal_id": goal.id,
            "competence_id": competence_id,
            "target_level": target_level,
            "text": text,
        },
    )
    return goal


def add_goal_from_gap(actor: User, plan: Plan, competence_id: int) -> PlanGoal:
    """Turn one of the owner's gaps into a goal at the profile's target level."""
    if plan.kind is not PlanKind.person:
        raise PlanError("bad_goal")
    gaps = assessments.gaps_for([plan.owner_id]).get(plan.owner_id)
    item = next(
        (i for i in (gaps.items if gaps else []) if i.competence_id == competence_id),
        None,
    )
    if item is None or not item.gap:
        raise PlanError("bad_competence", field="competence_id")
    return add_goal(actor, plan, competence_id=competence_id, target_level=item.target)


def remove_goal(actor: User, plan: Plan, goal: PlanGoal) -> None:
    require_editable(actor, plan)
    if goal.plan_id != plan.id:
        raise PlanError("bad_goal_ref")
    for activity in plan.activities:
        if activity.goal_id == goal.id:
            activity.goal = None
    plan.goals.remove(goal)
    db.session.flush()
    record(actor, "plan.goal_remove", plan, before={"goal_id": goal.id})


# --- activities --------------------------------------------------------------------


def _goal(plan: Plan, goal_id: int | None) -> PlanGoal | None:
    if goal_id is None:
        return None
    goal = next((g for g in plan.goals if g.id == goal_id), None)
    if goal is None:
        raise PlanError("bad_goal_ref", field="goal_id")
    return goal


def _check_money(plan: Plan, cost: Decimal, funding: Funding) -> None:
    if cost is None or not Decimal(0) <= cost <= MAX_COST:
        raise PlanError("bad_cost", field="cost")
    if funding is Funding.fund and plan.kind is PlanKind.unit:
        raise PlanError("fund_for_unit", field="funding")


def add_activity(
    actor: User,
    plan: Plan,
    *,
    kind: ActivityKind,
    title: str,
    cost: Decimal = Decimal(0),
    funding: Funding = Funding.budget,
    starts_on: date | None = None,
    ends_on: date | None = None,
    goal_id: int | None = None,
    description: str = "",
    colleague: User | None = None,
    diploma_module: DiplomaModule | None = None,
    participants: int = 1,
) -> PlanActivity:
    """An activity without a booking: reading, a diploma module, learning from a
    named colleague, a seminar or anything else; with its cost and dates."""
    require_editable(actor, plan)
    _check_money(plan, cost, funding)
    if starts_on and ends_on and ends_on < starts_on:
        raise PlanError("bad_dates", field="ends_on")
    if colleague is not None and not _colleague_ok(plan, colleague):
        raise PlanError("bad_colleague", field="colleague_id")
    activity = PlanActivity(
        plan=plan,
        kind=kind,
        title=_title(title),
        description=_text(description),
        cost=cost,
        funding=Funding.free if cost == 0 else funding,
        starts_on=starts_on,
        ends_on=ends_on,
        goal=_goal(plan, goal_id),
        colleague=colleague,
        diploma_module=diploma_module,
        participants=max(1, participants),
    )
    db.session.add(activity)
    db.session.flush()
    _audit_activity(actor, plan, activity)
    return activity


def _colleague_ok(plan: Plan, colleague: User) -> bool:
    owner = plan.owner
    if not colleague.active or (owner is not None and colleague.id == owner.id):
        return False
    unit = owner.team if owner is not None else plan.unit
    return parties.jobcentre_of_unit(colleague.team) == parties.jobcentre_of_unit(unit)


def add_session(
    actor: User,
    plan: Plan,
    course_session: CourseSession,
    *,
    funding: Funding = Funding.budget,
    goal_id: int | None = None,
) -> PlanActivity:
    """A course session (a suggestion) as an activity; the booking is requested
    when the plan is submitted, and approved with it."""
    require_editable(actor, plan)
    if any(a.course_session_id == course_session.id for a in plan.activities):
        raise PlanError("session_in_plan")
    if bookings.booking_closed(course_session):
        raise PlanError("session_closed")
    price = (
        course_session.price_for(plan.owner.employer_kind)
        if plan.owner
        else (course_session.course.price_municipal or Decimal(0))
    )
    _check_money(plan, price, funding)
    goal = _goal(plan, goal_id) or _goal_served(plan, course_session)
    first, last = course_session.starts_at, course_session.ends_at
    activity = PlanActivity(
        plan=plan,
        kind=ActivityKind.course,
        title=course_session.course.title[:300],
        course_session=course_session,
        cost=price,
        funding=Funding.free if price == 0 else funding,
        starts_on=first.date() if first else None,
        ends_on=last.date() if last else None,
        goal=goal,
    )
    db.session.add(activity)
    db.session.flush()
    _audit_activity(actor, plan, activity)
    return activity


def _goal_served(plan: Plan, course_session: CourseSession) -> PlanGoal | None:
    """The first goal whose competence the session's course develops."""
    developed = set(
        db.session.scalars(
            sa.select(CourseCompetence.competence_id).where(
                CourseCompetence.course_id == course_session.course_id
            )
        )
    )
    return next((g for g in plan.goals if g.competence_id in developed), None)


def _audit_activity(actor: User, plan: Plan, activity: PlanActivity) -> None:
    record(
        actor,
        "plan.activity_add",
        plan,
        after={
            "activity_id": activity.id,
            "kind": activity.kind.value,
            "title": activity.title,
            "cost": str(activity.cost),
            "funding": activity.funding.value,
            "course_session_id": activity.course_session_id,
        },
    )


def remove_activity(actor: User, plan: Plan, activity: PlanActivity) -> None:
    """Take an activity out; a request the plan made for it is withdrawn."""
    require_editable(actor, plan)
    if activity.plan_id != plan.id:
        raise PlanError("not_allowed")
    booking = activity.booking
    if (
        booking is not None
        and booking.approval_reason == PLAN_REASON
        and bookings.allowed("withdraw", actor, booking)
    ):
        bookings.cancel(actor, booking, reason="removed from plan")
    plan.activities.remove(activity)
    db.session.flush()
    record(actor, "plan.activity_remove", plan, before={"activity_id": activity.id})


def complete_activity(actor: User, plan: Plan, activity: PlanActivity) -> None:
    """Mark an activity without a booking done (reading, other activities).
    One led by a named colleague is theirs to sign off (colleague_learning.py);
    the manager may still mark it done, e.g. when the colleague has left, but
    the owner alone may not."""
    mine = parties.of(actor, plan)
    if not {Party.owner, Party.approver, Party.editor} & mine:
        raise PlanError("not_allowed")
    if plan.status is not PlanStatus.approved or activity.booking_id is not None:
        raise PlanError("wrong_state", status=str(STATUS_LABELS[plan.status]).lower())
    if activity.colleague_id is not None and not {Party.approver, Party.editor} & mine:
        raise PlanError("colleague_signs_off", name=activity.colleague.name)
    mark_completed(actor, plan, activity, action="plan.activity_complete")


def mark_completed(
    actor: User,
    plan: Plan,
    activity: PlanActivity,
    *,
    action: str,
    note: str | None = None,
) -> None:
    """Complete `activity` as `actor`, with when and by whom, and audit it with
    before and after; a sign-off's `note` is kept with it."""
    before = {"activity_id": activity.id, "status": activity.status.value}
    activity.status = ActivityStatus.completed
    activity.completed_at = now()
    activity.completed_by = actor
    after = {"activity_id": activity.id, "status": activity.status.value}
    if note is not None:
        activity.completion_note = note
        after["note"] = note
    db.session.flush()
    record(actor, action, plan, before=before, after=after)


# Stored on the bookings a plan requests (Booking.approval_reason).
PLAN_REASON = "plan"
