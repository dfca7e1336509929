"""Who calls the API: a personal access token from core.tokens, never a cookie;
the scopes the API's endpoints ask for, as a person chooses them."""

from flask_babel import lazy_gettext as _l

from core.api import errors
from core.people.models import Role
from core.tokens import require_token

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


def scopes_for(user) -> list[tuple[str, str]]:
    """(scope, label) of the scopes `user` may give a token of their own."""
    return [
        (scope, str(label))
        for scope, label in SCOPES.items()
        if scope not in _ONLY_FOR or user.has_role(_ONLY_FOR[scope])
    ]


def token_required(blueprint, scope: str):
    """Only a token with `scope` reaches the view (401 without a valid token, 403
    without the scope, 429 over the token's rate); the document says so."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorate(view):
        view = require_token(scope)(view)
        view = blueprint.doc(security=[{TOKEN_SCHEME: [scope]}])(view)
        return errors.answers(blueprint, 401, 403, 429)(view)

    return decorate
