"""Who sees which report. Aggregates go wider than names: a region's advisers
see the numbers of the region's jobcentres, never the people behind them; one
jobcentre's people are shown only to its own coordinators (and admins)."""

from core.people.advisers import advised_region_ids, advises
from core.people.models import OrgUnit, Role, UnitKind
from core.people.permissions import leads_team
from core.people.services import managed_team_ids


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active)


def own_jobcentre_id(user) -> int | None:
    if not user.has_role(Role.coordinator) or user.team is None:
        return None
    return user.team.parent_id


def can_see_demand(user, jobcentre: OrgUnit | None = None) -> bool:
    """The jobcentre demand report: its coordinators, the region's advisers,
    admins."""
    if not _signed_in(user):
        return False
    if jobcentre is not None and jobcentre.kind is not UnitKind.jobcentre:
        return False
    if user.is_admin:
        return True
    if jobcentre is None:
        return own_jobcentre_id(user) is not None or bool(advised_region_ids(user))
    return own_jobcentre_id(user) == jobcentre.id or advises(user, jobcentre)


def can_see_people_behind(user, unit: OrgUnit) -> bool:
    """The names behind a number: the jobcentre's own coordinators, the team's
    manager (for the team), admins."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    if unit.kind is UnitKind.jobcentre:
        return own_jobcentre_id(user) == unit.id
    if unit.kind is UnitKind.team:
        return user.has_role(Role.manager) and leads_team(user, unit.id)
    return False


def can_see_team_report(user, team: OrgUnit | None = None) -> bool:
    """A team's report: the managers (and deputies) who lead it, admins."""
    if not _signed_in(user):
        return False
    if team is None:
        return user.is_admin or (
            user.has_role(Role.manager) and bool(managed_team_ids(user))
        )
    if team.kind is not UnitKind.team:
        return False
    return user.is_admin or (user.has_role(Role.manager) and leads_team(user, team.id))


def can_see_region(user, region: OrgUnit | None = None) -> bool:
    """The region side by side: its advisers, admins."""
    if not _signed_in(user):
        return False
    if region is not None and region.kind is not UnitKind.region:
        return False
    if user.is_admin:
        return True
    if region is None:
        return bool(advised_region_ids(user))
    return region.id in advised_region_ids(user)
