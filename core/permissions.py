"""The authorisation vocabulary: require(), role_required() and shared predicates.

Each package adds its own pure `can_<verb>_<noun>(user, obj)` predicates in its
permissions.py; views call require(...) with them and templates call them directly.
"""

import enum
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from core.extensions import login_manager
from core.people.models import Role


def require(allowed: bool) -> None:
    """Stop the request with 403 unless `allowed`."""
    if not allowed:
        abort(403)


def role_required(*roles: Role) -> Callable:
    """Let a view run only for signed-in holders of one of `roles` (or admins)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            require(has_any_role(current_user, *roles))
            return view(*args, **kwargs)

        return wrapped

    return decorator


class Link(enum.Enum):
    """A row that gives a person power over others' things."""

    provider_member = "provider_member"  # staff of a course provider
    team_manager = "team_manager"  # the manager of a team
    team_deputy = "team_deputy"  # a team's deputy, while deputising
    key_person = "key_person"  # key person for a specialist area in a jobcentre
    region_adviser = "region_adviser"  # adviser of an employment region (seed 002)
    specialist_staff = "specialist_staff"  # staff of a regional specialist function


# The role that goes with each link. A link is dormant while its role is not held:
# kept, and worth nothing until an administrator gives the role back.
LINK_ROLES = {
    Link.provider_member: Role.provider_staff,
    Link.team_manager: Role.manager,
    Link.team_deputy: Role.manager,
    Link.key_person: Role.employee,
    Link.region_adviser: Role.coordinator,
    Link.specialist_staff: Role.employee,
}


def link_counts(user, link: Link) -> bool:
    """The one rule for power through a link: it counts only while the person
    holds the role that goes with it and the account is active.

    Every predicate that grants power through a link asks this, through the
    lookups that read the links (`provider_ids_of`, `managed_team_ids`), so taking
    the role away closes every door the link opened on the next request.
    """
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.has_role(LINK_ROLES[link])


def has_any_role(user, *roles: Role) -> bool:
    """True for an authenticated user holding one of `roles`, or an admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or user.has_role(*roles)
