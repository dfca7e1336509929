"""Submitting, approving, returning and completing plans, with what each does to
the plan's bookings, in one transaction: a savepoint wraps every step, so if any
booking is refused nothing of the step remains and the person is told which
booking and why. Every step is audited (workflow.py) and the other side is told,
in the app and by e-mail through the outbox."""

from flask_babel import lazy_gettext as _l

from core.db import db
from core.notifications.services import link_for, notify
from core.people.models import User
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from courses.bookings.models import BookingStatus
from learning.plans import workflow
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
        _l("%(name)s has submitted their development plan for your approval."),
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
        _l("Your development plan is approved"),
        _l("%(name)s approved your development plan and its bookings."),
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
        _l("Your development plan was returned"),
        _l("%(name)s returned your development plan: %(comment)s"),
        actor,
        comment=comment.strip(),
    )
    return plan


def complete(actor: User, plan: Plan, *, comment: str = "") -> Plan:
    """Close the plan; the person is invited to assess themselves again."""
    with db.session.begin_nested():
        workflow.apply("complete", actor, plan, comment=comment)
    if plan.kind is PlanKind.person:
        notify(
            plan.owner,
            str(
                _l("Your development plan is completed: time for a new self-assessment")
            ),
            str(
                _l(
                    "Assess yourself again, so the next talk starts from where "
                    "you are now."
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


def _tell_deciders(plan: Plan, subject, body) -> None:
    if plan.kind is not PlanKind.person:
        return
    team = plan.owner.team
    deciders = [team.manager] if team.manager is not None else []
    if team.deputising and team.deputy is not None:
        deciders.append(team.deputy)
    for person in deciders:
        if person.id == plan.owner_id:
            continue
        params = {"name": plan.owner.name}
        notify(person, str(subject) % params, str(body) % params, link=_plan_link(plan))


def _tell_owner(plan: Plan, subject, body, actor: User, **params) -> None:
    if plan.kind is not PlanKind.person:
        return
    params = {"name": actor.name, **params}
    notify(plan.owner, str(subject), str(body) % params, link=_plan_link(plan))


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
