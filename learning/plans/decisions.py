"""Submitting, approving, returning and completing plans, with what each does to
the plan's bookings, in one transaction: a savepoint wraps every step, so if any
booking is refused nothing of the step remains and the person is told which
booking and why. Every step is audited (workflow.py) and the other side is told,
in the app and by e-mail through the outbox."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.db import db
from core.notifications.services import in_language_of, link_for, notify
from core.people.advisers import RegionAdviser
from core.people.models import OrgUnit, Role, UnitKind, User, UserRole
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from courses.bookings.models import BookingStatus
from learning.plans import parties, workflow
from learning.plans.errors import PlanError
from learning.plans.models import (
    ActivityKind,
    ActivityStatus,
    Plan,
    PlanActivity,
    PlanKind,
    PlanStatus,
)
from learning.plans.services import PLAN_REASON

_ACTIONS = {
    "book": _l("requested"),
    "approve": _l("approved"),
}


def _booking_failed(activity: PlanActivity, action: str, exc: BookingError):
    return PlanError(
        "booking_failed", title=activity.title, action=_ACTIONS[action], reason=exc
    )


def submit(actor: User, plan: Plan) -> Plan:
    """Send the plan to the manager; each course activity's booking is requested
    now (a seat for it is decided when the plan is approved)."""
    if plan.kind is PlanKind.person:
        if not plan.goals or not plan.activities:
            raise PlanError("empty_plan")
        if plan.owner.team is None or plan.owner.team.manager_id is None:
            raise PlanError("no_team")
    with db.session.begin_nested():
        workflow.apply("submit", actor, plan)
        if plan.kind is PlanKind.person:
            plan.team_id = plan.owner.team_id
            for activity in _course_activities(plan):
                try:
                    activity.booking = bookings.book(
                        plan.owner,
                        activity.course_session,
                        approval=PLAN_REASON,
                        tell=False,  # the plan's own notice tells the manager once
                    )
                except BookingError as exc:
                    raise _booking_failed(activity, "book", exc) from exc
            db.session.flush()
    _tell_deciders(
        plan,
        _l("Development plan to approve: %(name)s"),
        _l("The development plan for %(name)s is submitted for your approval."),
    )
    return plan


def withdraw(actor: User, plan: Plan) -> Plan:
    """Take a submitted plan back to the draft; its requests are withdrawn."""
    with db.session.begin_nested():
        workflow.apply("withdraw", actor, plan)
        _withdraw_requests(actor, plan)
    return plan


def approve(actor: User, plan: Plan, *, comment: str = "") -> Plan:
    """Approve the plan and every booking it requested, in one step: each gets a
    seat, or its place on the waiting list when the session is full."""
    with db.session.begin_nested():
        workflow.apply("approve", actor, plan, comment=comment)
        for activity in _course_activities(plan):
            booking = activity.booking
            if booking is None or booking.status is not BookingStatus.requested:
                continue
            try:
                bookings.approve(actor, booking, comment=comment)
            except BookingError as exc:
                raise _booking_failed(activity, "approve", exc) from exc
    _tell_owner(
        plan,
        _l("Development plan approved: %(name)s"),
        _l("%(actor)s approved the development plan and its bookings."),
        actor,
    )
    return plan


def return_plan(actor: User, plan: Plan, *, comment: str) -> Plan:
    """Send the plan back with the reason; its requests are withdrawn until the
    plan is submitted again."""
    with db.session.begin_nested():
        workflow.apply("return", actor, plan, comment=comment)
        _withdraw_requests(actor, plan)
    _tell_owner(
        plan,
        _l("Development plan returned: %(name)s"),
        _l("%(actor)s returned the development plan: %(comment)s"),
        actor,
        comment=comment.strip(),
    )
    return plan


def complete(actor: User, plan: Plan, *, comment: str = "") -> Plan:
    """Close the plan; the person is invited to assess themselves again."""
    with db.session.begin_nested():
        workflow.apply("complete", actor, plan, comment=comment)
    if plan.kind is PlanKind.person:
        with in_language_of(plan.owner):
            notify(
                plan.owner,
                str(
                    _l(
                        "Your development plan is completed: "
                        "time for a new self-assessment"
                    )
                ),
                str(
                    _l(
                        "Assess yourself again, so the next talk starts from "
                        "where you are now."
                    )
                ),
                link=link_for("learning.assessments.self_assessment"),
            )
    return plan


def _course_activities(plan: Plan) -> list[PlanActivity]:
    return [
        a
        for a in plan.activities
        if a.kind is ActivityKind.course
        and a.course_session is not None
        and a.status is not ActivityStatus.dropped
    ]


def _withdraw_requests(actor: User, plan: Plan) -> None:
    for activity in _course_activities(plan):
        booking = activity.booking
        if (
            booking is not None
            and booking.approval_reason == PLAN_REASON
            and booking.status is BookingStatus.requested
        ):
            bookings.cancel(actor, booking, reason="plan " + plan.status.value)
            activity.booking = None
    db.session.flush()


def _plan_link(plan: Plan) -> str:
    return link_for("learning.plans.detail", plan_id=plan.id)


def _deciders(plan: Plan) -> list[User]:
    """Who decides on the plan: the person's manager (and a deputising deputy),
    or the coordinators of the jobcentre a unit plan belongs to."""
    if plan.kind is PlanKind.person:
        team = plan.owner.team
        found = [team.manager] if team is not None and team.manager else []
        if team is not None and team.deputising and team.deputy is not None:
            found.append(team.deputy)
        return [p for p in found if p.id != plan.owner_id]
    jobcentre = parties.jobcentre_of_unit(plan.unit)
    if jobcentre is None:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .join(OrgUnit, OrgUnit.id == User.team_id)
            .where(
                UserRole.role == Role.coordinator,
                OrgUnit.parent_id == jobcentre.id,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def _authors(plan: Plan) -> list[User]:
    """Who wrote the plan: the person, or the advisers of a unit plan's region."""
    if plan.kind is PlanKind.person:
        return [plan.owner]
    region = plan.unit
    while region is not None and region.kind is not UnitKind.region:
        region = region.parent
    if region is None:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RegionAdviser, RegionAdviser.user_id == User.id)
            .where(RegionAdviser.region_id == region.id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _tell(people: list[User], plan: Plan, subject, body, **params) -> None:
    """Notify each of `people` in their own language, never the actor's."""
    params = {"name": plan.owner.name if plan.owner else plan.title, **params}
    for person in people:
        with in_language_of(person):
            notify(
                person,
                str(subject) % params,
                str(body) % params,
                link=_plan_link(plan),
            )


def _tell_deciders(plan: Plan, subject, body) -> None:
    _tell(_deciders(plan), plan, subject, body)


def _tell_owner(plan: Plan, subject, body, actor: User, **params) -> None:
    authors = [p for p in _authors(plan) if p.id != actor.id]
    _tell(authors, plan, subject, body, **params, actor=actor.name)


def complete_activities_for_booking(booking) -> int:
    """A booking completed (a course, or internal learning signed off by its
    host): the plan activities it serves are completed too."""
    activities = db.session.scalars(
        db.select(PlanActivity).where(
            PlanActivity.booking_id == booking.id,
            PlanActivity.status == ActivityStatus.planned,
        )
    ).all()
    for activity in activities:
        activity.status = ActivityStatus.completed
        activity.completed_at = booking.updated_at
    return len(activities)


def drop_activities_for_booking(booking) -> int:
    """A booking of an approved plan was cancelled or refused: its activity no
    longer costs anything."""
    activities = db.session.scalars(
        db.select(PlanActivity)
        .join(Plan, Plan.id == PlanActivity.plan_id)
        .where(
            PlanActivity.booking_id == booking.id,
            Plan.status.in_([PlanStatus.approved, PlanStatus.completed]),
            PlanActivity.status == ActivityStatus.planned,
        )
    ).all()
    for activity in activities:
        activity.status = ActivityStatus.dropped
    return len(activities)
