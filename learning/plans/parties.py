"""The parts a person plays towards a plan, the one place the plan rules ask."""

import enum

from core.people.advisers import advises
from core.people.models import OrgUnit, Role, UnitKind, User
from core.people.permissions import leads_team
from learning.plans.models import Plan, PlanKind


class Party(enum.Enum):
    owner = "owner"  # the person whose plan it is
    approver = "approver"  # their manager (or deputising deputy); a unit plan's
    # coordinator; admins
    editor = "editor"  # a unit plan's region advisers and jobcentre coordinators
    viewer = "viewer"  # may read: the jobcentre's coordinator


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.active


def jobcentre_of_unit(unit: OrgUnit | None) -> OrgUnit | None:
    """The jobcentre a unit is or belongs to."""
    if unit is None:
        return None
    if unit.kind is UnitKind.team:
        return unit.parent
    return unit if unit.kind is UnitKind.jobcentre else None


def coordinates(user: User, unit: OrgUnit | None) -> bool:
    """A coordinator of the jobcentre `unit` is or belongs to."""
    if not user.has_role(Role.coordinator) or user.team is None:
        return False
    jobcentre = jobcentre_of_unit(unit)
    return jobcentre is not None and user.team.parent_id == jobcentre.id


def of(user, plan: Plan) -> set[Party]:
    """Every part `user` plays towards `plan` (empty: none, so no access)."""
    if not _signed_in(user):
        return set()
    found = set()
    if plan.kind is PlanKind.person:
        owner = plan.owner
        if user.id == owner.id:
            found.add(Party.owner)
        else:
            # Nobody approves their own plan, whatever else they lead.
            if leads_team(user, plan.team_id or owner.team_id) or user.is_admin:
                found.add(Party.approver)
            if owner.team is not None and coordinates(user, owner.team):
                found.add(Party.viewer)
        return found
    if advises(user, plan.unit) or coordinates(user, plan.unit) or user.is_admin:
        found.add(Party.editor)
    if coordinates(user, plan.unit) or user.is_admin:
        found.add(Party.approver)
    if plan.unit.kind is UnitKind.team and leads_team(user, plan.unit_id):
        found.add(Party.viewer)
    return found
