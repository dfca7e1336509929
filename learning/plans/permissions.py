"""Who may see, edit and decide plans; pure predicates on parties.of, reused in
the templates."""

from core.people.advisers import advised_region_ids
from core.people.models import Role
from courses.bookings.permissions import can_use_inbox
from learning.plans import parties, workflow
from learning.plans.models import Plan, PlanKind
from learning.plans.parties import Party


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.active


def can_use_plans(user) -> bool:
    """Everyone signed in has a development plan (MUS is every employee's right)."""
    return _signed_in(user)


def can_view_plan(user, plan: Plan) -> bool:
    return bool(parties.of(user, plan))


def can_edit_plan(user, plan: Plan) -> bool:
    """The owner (a unit plan's editors) while draft or returned."""
    return plan.editable and bool({Party.owner, Party.editor} & parties.of(user, plan))


def can_prepare_talk(user, plan: Plan) -> bool:
    """The manager writes their preparation and the talk's record until approval."""
    return (
        plan.kind is PlanKind.person
        and Party.approver in parties.of(user, plan)
        and plan.status.value not in ("approved", "completed")
    )


def can_make(user, plan: Plan, name: str) -> bool:
    """The workflow's party rule for transition `name`, for buttons and 403s."""
    return _signed_in(user) and workflow.allowed(name, user, plan)


def can_use_plan_inbox(user) -> bool:
    """Managers who lead a team (or deputise for one), and admins."""
    return can_use_inbox(user)


def can_use_unit_plans(user) -> bool:
    """Coordinators, the region's advisers and admins."""
    if not _signed_in(user):
        return False
    return (
        user.is_admin
        or user.has_role(Role.coordinator)
        or bool(advised_region_ids(user))
    )
