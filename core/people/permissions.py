"""Who may see and change people and the organisation."""

from core.people.models import Role, User
from core.people.services import managed_team_ids


def can_administer(user) -> bool:
    """Only admins maintain users, roles and the organisation."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def leads_team(user: User, team_id: int | None) -> bool:
    """The team's manager, or its deputy while deputising."""
    if team_id is None:
        return False
    return team_id in managed_team_ids(user)


def can_view_person(user, person: User) -> bool:
    """Oneself; the person's manager (or deputising deputy); their jobcentre's
    coordinator; admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.id == person.id or user.is_admin:
        return True
    if user.has_role(Role.manager) and leads_team(user, person.team_id):
        return True
    if user.has_role(Role.coordinator):
        return same_jobcentre(user, person)
    return False


def same_jobcentre(user: User, person: User) -> bool:
    if user.team is None or person.team is None:
        return False
    return (
        user.team.parent_id is not None and user.team.parent_id == person.team.parent_id
    )
