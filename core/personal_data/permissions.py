"""Who may take a copy of a person's data, and who may erase a person."""

from core.people.models import User
from core.people.permissions import can_administer


def can_copy_data_of(user, person: User) -> bool:
    """Oneself, and administrators answering a request from the person."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.id == person.id or can_administer(user)


def can_erase(user, person: User) -> bool:
    """Administrators, for anyone but themselves (someone must be left to ask)."""
    return can_administer(user) and user.id != person.id
