"""The authorisation vocabulary: require(), role_required() and shared predicates.

Each package adds its own pure `can_<verb>_<noun>(user, obj)` predicates in its
permissions.py; views call require(...) with them and templates call them directly.
"""

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


def has_any_role(user, *roles: Role) -> bool:
    """True for an authenticated user holding one of `roles`, or an admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or user.has_role(*roles)
