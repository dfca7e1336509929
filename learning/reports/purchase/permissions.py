"""Who may work out a purchase plan, and who may turn it into booking requests."""

from core.people.advisers import advised_region_ids, advises
from core.people.models import OrgUnit, Role, UnitKind


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active)


def _own_jobcentre_id(user) -> int | None:
    if not user.has_role(Role.coordinator) or user.team is None:
        return None
    return user.team.parent_id


def can_see_purchase_plan(user, jobcentre: OrgUnit | None = None) -> bool:
    """A coordinator for their own jobcentre; a region's advisers (read only)
    for the region's jobcentres; admins (read only) for any."""
    if not _signed_in(user):
        return False
    if jobcentre is not None and jobcentre.kind is not UnitKind.jobcentre:
        return False
    if user.is_admin:
        return True
    if jobcentre is None:
        return _own_jobcentre_id(user) is not None or bool(advised_region_ids(user))
    return _own_jobcentre_id(user) == jobcentre.id or advises(user, jobcentre)


def can_request_purchase(user, jobcentre: OrgUnit) -> bool:
    """Only the jobcentre's own coordinator turns its plan into booking requests."""
    return (
        _signed_in(user)
        and jobcentre.kind is UnitKind.jobcentre
        and _own_jobcentre_id(user) == jobcentre.id
    )
