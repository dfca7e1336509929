"""Who may maintain the competence framework and people's job functions."""

from core.people.models import Role, User
from core.people.permissions import same_jobcentre


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_maintain_framework(user) -> bool:
    """Competence coordinators and admins maintain areas, competences, the scale
    and the job-function profiles."""
    return _signed_in(user) and (user.is_admin or user.has_role(Role.coordinator))


def can_set_job_functions(user, person: User) -> bool:
    """Admins; a coordinator for the people of their own jobcentre."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    return user.has_role(Role.coordinator) and same_jobcentre(user, person)
