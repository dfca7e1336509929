"""Who may work out a purchase plan, and who may turn it into booking requests."""

from core.people.models import OrgUnit, UnitKind
from learning.reports.permissions import can_see_demand, own_jobcentre_id


def can_see_purchase_plan(user, jobcentre: OrgUnit | None = None) -> bool:
    """Whoever sees the jobcentre's demand: its coordinators, the region's
    advisers (read only), admins (read only)."""
    return can_see_demand(user, jobcentre)


def can_request_purchase(user, jobcentre: OrgUnit) -> bool:
    """Only the jobcentre's own coordinator turns its plan into booking requests."""
    return (
        bool(getattr(user, "is_authenticated", False) and user.active)
        and jobcentre.kind is UnitKind.jobcentre
        and own_jobcentre_id(user) == jobcentre.id
    )
