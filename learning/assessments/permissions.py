"""Who may see and give ratings, and see the team and jobcentre heat maps."""

from core.people.models import OrgUnit, Role, UnitKind, User
from core.people.permissions import can_view_person, leads_team
from core.people.services import managed_team_ids


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_ratings(user, person: User) -> bool:
    """Oneself; the manager (or deputising deputy); the jobcentre's coordinator;
    admins."""
    return can_view_person(user, person)


def can_self_assess(user, person: User) -> bool:
    """Only the person rates themselves."""
    return _signed_in(user) and user.id == person.id


def can_manager_assess(
    user, person: User, led_team_ids: set[int] | None = None
) -> bool:
    """The person's manager, or the deputy while deputising; never oneself.

    A page listing many people passes the user's led team ids, looked up once.
    """
    if not _signed_in(user) or user.id == person.id:
        return False
    if not user.has_role(Role.manager):
        return False
    if led_team_ids is not None:
        return person.team_id in led_team_ids
    return leads_team(user, person.team_id)


def can_set_agreed(user, person: User) -> bool:
    """The agreed level is recorded by the manager after the development talk."""
    return can_manager_assess(user, person)


def can_view_team_map(user, team: OrgUnit | None = None) -> bool:
    """Managers for the teams they lead; admins for any team."""
    if not _signed_in(user):
        return False
    if team is None:
        return user.is_admin or (
            user.has_role(Role.manager) and bool(managed_team_ids(user))
        )
    if team.kind is not UnitKind.team:
        return False
    return user.is_admin or (user.has_role(Role.manager) and leads_team(user, team.id))


def can_view_jobcentre_map(user, jobcentre: OrgUnit | None = None) -> bool:
    """Coordinators for their own jobcentre; admins for any."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return jobcentre is None or jobcentre.kind is UnitKind.jobcentre
    if not user.has_role(Role.coordinator) or user.team is None:
        return False
    return jobcentre is None or user.team.parent_id == jobcentre.id
