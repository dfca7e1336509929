"""Issue, revoke and check bearer tokens; `require_token` guards a view with one.

Operations flush and let the caller commit, except `require_token`, which commits
what it counts (the request against the token's rate, when it was last used)
before the view runs, so every worker sees the count and a failing view does not
undo it.
"""

import functools
import hashlib
import hmac
import math
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from core.audit import record
from core.db import db, utcnow, write_intent
from core.people.models import LoginAttempt, User
from core.people.services import rate_limited, record_attempt
from core.tokens.models import ApiToken

# Marks our secrets so a leaked one is easy to recognise (and to scan for).
SECRET_MARK = "kp_"
PREFIX_LENGTH = 8
# last_used_at is written at most this often, so a busy token is not a write per call.
LAST_USED_EVERY = timedelta(minutes=1)
# Requests per token per window, unless the app's config says otherwise.
DEFAULT_RATE = 120
DEFAULT_RATE_WINDOW = timedelta(minutes=1)
# The kind under which a token's requests are counted with the login attempts.
RATE_KIND = "api_token"
REALM = "kompetence"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _scopes(scopes: Iterable[str] | str) -> frozenset[str]:
    if isinstance(scopes, str):
        scopes = scopes.split()
    return frozenset(s.strip() for s in scopes if s and s.strip())


def issue(
    owner: User,
    name: str,
    scopes: Iterable[str] | str,
    *,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token of `owner` and its plaintext, which is shown once and never
    kept (only its hash is)."""
    name = (name or "").strip()
    if not name:
        raise ValueError("a token needs a name")
    secret = SECRET_MARK + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name[:100],
        scopes=_scopes(scopes),
        token_hash=_hash(secret),
        prefix=secret[:PREFIX_LENGTH],
        created_at=utcnow(),
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    record(
        owner,
        "token.issue",
        token,
        after={"name": token.name, "scopes": sorted(token.scopes)},
    )
    return token, secret


def revoke(token: ApiToken, *, by: User) -> None:
    """Stop `token` working from now on (revoking twice changes nothing)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    record(by, "token.revoke", token, before={"name": token.name})


def _secret_from(authorization_header: str | None) -> str | None:
    scheme, _, secret = (authorization_header or "").strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or " " in secret:
        return None
    return secret


def authenticate(authorization_header: str | None) -> ApiToken | None:
    """The active token an `Authorization: Bearer <secret>` header carries, or
    None (no header, another scheme, unknown, revoked or expired, or its owner is
    deactivated). The lookup is by the secret's hash, so no secret is compared
    character by character."""
    secret = _secret_from(authorization_header)
    if secret is None or len(secret) > 200:
        return None
    digest = _hash(secret)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    now = utcnow()
    if not token.is_active(now) or not token.owner.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        token.last_used_at = now
        db.session.flush()
    return token


def retry_after(token: ApiToken) -> int | None:
    """Seconds until `token` may call again, or None while it is under its rate.
    Counted like the login attempts (core.people.services.rate_limited): rows in
    the database, so every worker counts the same requests."""
    rate = current_app.config.get("API_TOKEN_RATE", DEFAULT_RATE)
    window = current_app.config.get("API_TOKEN_RATE_WINDOW", DEFAULT_RATE_WINDOW)
    key = f"token:{token.id}"
    since = utcnow() - window
    if rate_limited(
        RATE_KIND,
        key,
        key,
        max_per_account=rate,
        max_per_address=rate,
        window=window,
    ):
        oldest = db.session.scalar(
            sa.select(sa.func.min(LoginAttempt.at)).where(
                LoginAttempt.kind == RATE_KIND,
                LoginAttempt.email == key,
                LoginAttempt.at >= since,
            )
        )
        wait = (oldest + window - utcnow()).total_seconds() if oldest else 1
        return max(1, math.ceil(wait))
    db.session.execute(
        sa.delete(LoginAttempt).where(
            LoginAttempt.kind == RATE_KIND,
            LoginAttempt.email == key,
            LoginAttempt.at < since,
        )
    )
    record_attempt(RATE_KIND, key, key)
    return None


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
                    wait = retry_after(token)
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
