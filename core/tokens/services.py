"""Issue, revoke and check bearer tokens, and count a token's requests against
its rate. They flush; the caller commits (core.tokens.require_token guards a
view with a token and commits what it counted)."""

import hashlib
import hmac
import math
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from core.audit import record
from core.db import db, utcnow
from core.people.models import LoginAttempt, User
from core.people.services import rate_limited, record_attempt
from core.tokens.models import ApiToken

# Marks our secrets so a leaked one is easy to recognise (and to scan for).
SECRET_MARK = "kp_"
PREFIX_LENGTH = 8
# last_used_at is written at most this often, so a busy token is not a write per call.
LAST_USED_EVERY = timedelta(minutes=1)
# Requests per token per window, unless the app's config says otherwise
# (API_TOKEN_RATE; API_TOKEN_RATES per scope: a directory's sync sends many).
DEFAULT_RATE = 120
DEFAULT_RATES = {"scim": 1200}
DEFAULT_RATE_WINDOW = timedelta(minutes=1)
# The kind under which a token's requests are counted with the login attempts.
RATE_KIND = "api_token"


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


def retry_after(token: ApiToken, scope: str | None = None) -> int | None:
    """Seconds until `token` may call again, or None while it is under the rate
    for `scope` (or the default one).
    Counted like the login attempts (core.people.services.rate_limited): rows in
    the database, so every worker counts the same requests."""
    rates = {**DEFAULT_RATES, **current_app.config.get("API_TOKEN_RATES", {})}
    rate = rates.get(scope) or current_app.config.get("API_TOKEN_RATE", DEFAULT_RATE)
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
