"""Who calls the API: a personal access token from core.tokens, never a cookie;
the scopes the API's endpoints ask for, as a person chooses them."""

import functools
from collections.abc import Callable

from flask import g
from flask_babel import lazy_gettext as _l

from core.api import errors
from core.people.models import Role
from core.tokens import REALM, TokenRefused, require_token

TOKEN_SCHEME = "token"

# Scope -> what it lets a system do, as the token page says it.
SCOPES = {
    "framework:read": _l("Read the competence framework and the job profiles"),
    "me:read": _l("Read your own gaps, suggestions, plans and bookings"),
    "bookings:write": _l("Book and cancel sessions for you"),
    "provider:read": _l("Read your provider's courses, sessions and participants"),
}
# Scopes only some people may give a token: provider staff their provider's.
_ONLY_FOR = {"provider:read": Role.provider_staff}


# Scope -> a further rule for who may hold it, added by the area the scope is
# about (courses: a provider to work for), so core imports none of them.
_HOLDERS: dict[str, Callable[..., bool]] = {}


def add_holder_rule(scope: str, rule: Callable[..., bool]) -> None:
    """Only people for whom `rule(user)` is true may give a token `scope`, and a
    token whose owner no longer passes it stops working for that scope."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    _HOLDERS[scope] = rule


def may_hold(user, scope: str) -> bool:
    """Whether `user` may (still) give a token of their own `scope`."""
    if scope in _ONLY_FOR and not user.has_role(_ONLY_FOR[scope]):
        return False
    rule = _HOLDERS.get(scope)
    return rule is None or bool(rule(user))


def scopes_for(user) -> list[tuple[str, str]]:
    """(scope, label) of the scopes `user` may give a token of their own."""
    return [
        (scope, str(label)) for scope, label in SCOPES.items() if may_hold(user, scope)
    ]


def _still_held(scope: str, view):
    """The token's owner must still pass the scope's rules when it is used: a
    provider's former staff member's token stops working (403), whatever it was
    given when it was made."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not may_hold(g.api_token.owner, scope):
            raise TokenRefused(
                403,
                _l("The access token's owner may no longer use it for this."),
                {
                    "WWW-Authenticate": f'Bearer realm="{REALM}", '
                    f'error="insufficient_scope", scope="{scope}"'
                },
            )
        return view(*args, **kwargs)

    return guarded


def token_required(blueprint, scope: str):
    """Only a token with `scope` reaches the view (401 without a valid token, 403
    without the scope, 429 over the token's rate); the document says so."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorate(view):
        view = require_token(scope)(_still_held(scope, view))
        view = blueprint.doc(security=[{TOKEN_SCHEME: [scope]}])(view)
        return errors.answers(blueprint, 401, 403, 429)(view)

    return decorate
