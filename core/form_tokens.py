"""The CSRF token in forms, signed once per session secret and kept (issue 19).

Flask-WTF signs the session's CSRF secret anew on every request that shows a
form (an HMAC, a key derivation and a timestamp, ~4% of the empty signed-in
page). With WTF_CSRF_TIME_LIMIT unset a token never ages, so the token first
signed for a secret is as good as a new one for as long as that secret is the
session's: it is kept per secret in the process, and put where Flask-WTF looks
for the request's token (`g`) before the view runs. Every form of the page, the
layout's and the page's own (a FlaskForm's hidden field), then shows it and
nothing is signed.

What it can miss, and for how long: nothing. A token is kept only after it is
checked to be a signature of the secret it is kept under, and is shown only to
a session holding that secret; a new sign-in gives the session a new secret
(core.kept_form_views), so a new token, and a posted token is checked as
before. With a time limit set every request signs its own, as Flask-WTF does.
"""

from flask import Flask, current_app, g, session
from itsdangerous import BadData, URLSafeTimedSerializer

# Flask-WTF signs the session's CSRF secret with this salt to make a form's token.
SALT = "wtf-csrf-token"
# One per signed-in session a worker has seen; when full, the older half goes
# (the next page of those sessions signs once more).
KEPT_TOKENS = 20_000


def signing() -> URLSafeTimedSerializer:
    """What Flask-WTF signs the session's secret with to make a form's token."""
    config = current_app.config
    key = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    return URLSafeTimedSerializer(key, salt=SALT)


def _kept() -> dict:
    return current_app.extensions["kompetence_tokens"]


def _keeps_tokens(config) -> bool:
    return config["WTF_CSRF_TIME_LIMIT"] is None


def _seed() -> None:
    """Before the view: this session's kept token where Flask-WTF looks for it."""
    config = current_app.config
    if not _keeps_tokens(config):
        return
    field = config["WTF_CSRF_FIELD_NAME"]
    secret = session.get(field)
    if secret:
        token = _kept().get(secret)
        if token is not None:
            setattr(g, field, token)


def _keep_signed(response):
    """After the view: keep the token Flask-WTF signed for this session's secret."""
    config = current_app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    token = g.get(field)
    secret = session.get(field)
    if token is None or not secret or not _keeps_tokens(config):
        return response
    kept = _kept()
    if secret in kept:
        return response
    # The secret may have changed after the token was signed (a sign-in within
    # the request): keep only a token of this secret.
    try:
        if signing().loads(token) != secret:
            return response
    except BadData:
        return response
    if len(kept) >= KEPT_TOKENS:
        for old in list(kept)[: KEPT_TOKENS // 2]:
            kept.pop(old, None)
    kept[secret] = token
    return response


def init_app(app: Flask) -> None:
    app.extensions["kompetence_tokens"] = {}
    # First of the request's own hooks, so every view and hook sees the token.
    app.before_request_funcs.setdefault(None, []).insert(0, _seed)
    app.after_request(_keep_signed)
