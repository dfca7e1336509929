"""Learning a colleague leads (mentoring, job shadowing, peer training named in
someone's plan): the colleague's list of what they lead, and their sign-off,
which completes the activity and tells the plan's owner. The colleague sees the
activity and the goal it serves, never the rest of the plan."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, lazyload

from core.db import db
from core.notifications.services import in_language_of, link_for, notify
from core.people.models import User
from core.templating import long_date
from learning.plans import services
from learning.plans.errors import PlanError
from learning.plans.labels import STATUS_LABELS
from learning.plans.models import (
    ActivityStatus,
    Plan,
    PlanActivity,
    PlanGoal,
    PlanKind,
    PlanStatus,
)

NOTE_MAX = 500
# The plans whose colleague-led activities the colleague sees: approved ones,
# and completed ones for what was signed off.
SHOWN = (PlanStatus.approved, PlanStatus.completed)


def _led_by(user: User):
    return (
        sa.select(PlanActivity)
        .join(Plan, Plan.id == PlanActivity.plan_id)
        .where(PlanActivity.colleague_id == user.id, Plan.kind == PlanKind.person)
        .options(
            joinedload(PlanActivity.plan)
            .joinedload(Plan.owner)
            .lazyload(User.role_rows),
            joinedload(PlanActivity.goal).joinedload(PlanGoal.competence),
            lazyload(PlanActivity.colleague),
        )
    )


def led_by(user: User) -> list[PlanActivity]:
    """The activities of approved (and completed) person plans that name `user`
    as the colleague: planned first, soonest first; one query."""
    return list(
        db.session.scalars(
            _led_by(user)
            .where(Plan.status.in_(SHOWN))
            .order_by(
                (PlanActivity.status != ActivityStatus.planned),
                PlanActivity.starts_on.is_(None),
                PlanActivity.starts_on,
                PlanActivity.id,
            )
        )
    )


def find_led(user: User, activity_id: int) -> PlanActivity | None:
    """The activity with this id if it names `user` as the colleague, else None
    (another's activity and an unknown id alike)."""
    return db.session.scalar(_led_by(user).where(PlanActivity.id == activity_id))


def sign_off(actor: User, activity: PlanActivity, *, note: str = "") -> None:
    """The named colleague signs the activity off: it is completed, audited and
    the plan's owner is told, in their own language."""
    plan = activity.plan
    if activity.colleague_id != actor.id or plan.kind is not PlanKind.person:
        raise PlanError("not_allowed")
    if activity.status is ActivityStatus.completed:
        raise PlanError("already_done", date=_day(activity))
    if activity.status is ActivityStatus.dropped:
        raise PlanError("activity_dropped")
    if plan.status is not PlanStatus.approved:
        raise PlanError(
            "not_approved_yet", status=str(STATUS_LABELS[plan.status]).lower()
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise PlanError("text_too_long", field="note", max=NOTE_MAX)
    services.mark_completed(
        actor, plan, activity, action="plan.activity_sign_off", note=note
    )
    _tell_owner(actor, activity)


def _day(activity: PlanActivity) -> str:
    return long_date(activity.completed_at) if activity.completed_at else "–"


def _tell_owner(actor: User, activity: PlanActivity) -> None:
    owner = activity.plan.owner
    with in_language_of(owner):
        params = {"name": actor.name, "title": activity.title}
        body = str(_l('%(name)s has signed off "%(title)s" in your plan.') % params)
        if activity.completion_note:
            body += "\n\n" + str(_l("Their note: %(note)s")) % {
                "note": activity.completion_note
            }
        notify(
            owner,
            str(_l("%(name)s signed off your learning") % params),
            body,
            link=link_for("learning.plans.detail", plan_id=activity.plan_id),
        )
