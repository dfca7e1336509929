"""Bearer tokens for systems that call the platform: personal access tokens for
the API (/api/v1) and the directory's provisioning token (SCIM). Only a hash of
each secret is kept; the plaintext is shown once, to the person who made it.

`require_token` is the web layer's guard: it reads the request's Authorization
header and commits what it counts (the request against the token's rate, when it
was last used) before the view runs, so every worker sees the count and a failing
view does not undo it. The rules themselves are in core.tokens.services."""

import functools

from flask import g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from core.db import db, write_intent
from core.tokens.services import authenticate, retry_after

REALM = "kompetence"


class TokenRefused(HTTPException):
    """401, 403 or 429 for a token request; the area's error handler answers it
    in its own format (the API's JSON, SCIM's error), with these headers."""

    def __init__(self, status: int, message, headers: dict[str, str]):
        super().__init__(description=str(message))
        self.code = status
        self.headers = headers
        self.data = {"headers": headers}

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), *self.headers.items()]


def _challenge(error: str | None = None, scope: str | None = None) -> dict:
    parts = [f'realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return {"WWW-Authenticate": "Bearer " + ", ".join(parts)}


def require_token(scope: str):
    """Let the view run only for a request with a valid bearer token that has
    `scope`: 401 (with WWW-Authenticate) without one, 403 without the scope, 429
    (with Retry-After) over the token's rate. Cookies do not count. The view sees
    the token as `g.api_token` and its owner as `current_user`."""

    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            header = request.headers.get("Authorization")
            with write_intent():
                token = authenticate(header)
                wait = None
                if token is not None and scope in token.scopes:
                    wait = retry_after(token, scope)
                db.session.commit()
            if token is None:
                raise TokenRefused(
                    401,
                    _l("A valid access token is required."),
                    _challenge("invalid_token" if header else None),
                )
            if scope not in token.scopes:
                raise TokenRefused(
                    403,
                    _l("The access token does not allow this."),
                    _challenge("insufficient_scope", scope),
                )
            if wait is not None:
                raise TokenRefused(
                    429,
                    _l("Too many requests: wait a moment and try again."),
                    {"Retry-After": str(wait)},
                )
            g.api_token = token
            # flask-login reads the user from here: the owner for this request
            # only, without a session or a cookie.
            g._login_user = token.owner
            return view(*args, **kwargs)

        guarded.required_scope = scope
        return guarded

    return decorate
