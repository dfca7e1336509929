"""Who may see and record a person's diploma progress."""

from core.people.permissions import can_view_person
from courses.diplomas.models import ModuleStatus

# What a person may record about their own modules; results come from others.
SELF_STATUSES = frozenset(
    {ModuleStatus.planned, ModuleStatus.in_progress, ModuleStatus.not_relevant}
)


def can_view_diplomas(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_view_progress(user, person) -> bool:
    """Oneself, the person's manager, their jobcentre's coordinator and admins."""
    return can_view_person(user, person)


def can_record_result(user, person) -> bool:
    """Passed, accredited or failed is recorded by the manager, coordinator or admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.id != person.id and can_view_person(user, person)


def allowed_statuses(user, person) -> frozenset[ModuleStatus]:
    """The statuses `user` may set on `person`'s modules."""
    if can_record_result(user, person):
        return frozenset(ModuleStatus)
    if getattr(user, "is_authenticated", False) and user.id == person.id:
        return SELF_STATUSES
    return frozenset()
