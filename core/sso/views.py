"""Sign-in through the organisation's OpenID provider: the way out to its sign-in
page, and the way back with the code that is exchanged for a verified ID token."""

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user
from joserfc.errors import JoseError

from core import security_log
from core.db import db, write_intent
from core.people import services as people
from core.sso import services
from core.sso.client import client
from core.sso.errors import SignOnError
from core.urls import safe_next

bp = Blueprint("sso", __name__, url_prefix="/log-ind/organisation")

STATUS = {
    "unknown_attempt": 400,
    "refused_by_provider": 401,
    "invalid_token": 401,
    "no_subject": 401,
    "no_account": 403,
    "no_email": 403,
    "email_linked_elsewhere": 403,
    "inactive": 403,
    "provider_unreachable": 503,
}


@bp.route("")
def start():
    """Off to the provider; state, nonce and the PKCE verifier stay in the session."""
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    session["sso_next"] = safe_next(request.args.get("next"))
    try:
        return client().authorize_redirect(url_for("core.sso.back", _external=True))
    except requests.RequestException:
        return refuse(SignOnError("provider_unreachable"))


@bp.route("/retur")
def back():
    try:
        token = _verified_token()
        claims = _claims(token)
        with write_intent():
            user = services.sign_on(
                claims, services.SignOnSettings.from_config(current_app.config)
            )
            lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
            people.start_login_session(user, lifetime=lifetime)
            db.session.commit()
    except SignOnError as refused:
        db.session.rollback()
        return refuse(refused)
    next_url = session.get("sso_next")
    session.clear()
    login_user(user, duration=lifetime)
    # Kept for signing out: the provider's session ends with the hint of whose it is.
    session["sso_id_token"] = token.get("id_token", "")
    return redirect(next_url or url_for("core.dashboard"))


def _verified_token() -> dict:
    """The token response, its ID token's signature, issuer, audience, expiry and
    nonce checked by Authlib against the state this browser was sent out with."""
    try:
        return client().authorize_access_token()
    except MismatchingStateError as exc:
        raise SignOnError("unknown_attempt") from exc
    except OAuthError as exc:  # the provider said no: an error, or a spent code
        raise SignOnError("refused_by_provider") from exc
    except (AuthlibBaseError, JoseError, ValueError) as exc:
        raise SignOnError("invalid_token") from exc
    except requests.RequestException as exc:
        raise SignOnError("provider_unreachable") from exc


def _claims(token: dict) -> dict:
    """The ID token's claims, with what only the userinfo endpoint tells (many
    providers keep e-mail and groups there) when the provider has one."""
    claims = dict(token["userinfo"]) if token.get("userinfo") else {}
    if not claims:
        raise SignOnError("invalid_token")
    if client().load_server_metadata().get("userinfo_endpoint"):
        try:
            extra = dict(client().userinfo(token=token))
        except requests.RequestException as exc:
            raise SignOnError("provider_unreachable") from exc
        # Userinfo about someone else than the ID token is a forgery.
        if extra.get("sub") != claims.get("sub"):
            raise SignOnError("invalid_token")
        claims = {**extra, **claims}
    return claims


def refuse(refused: SignOnError):
    security_log.sign_in_refused(
        f"single sign-on: {refused.code}", None, request.remote_addr or ""
    )
    status = STATUS.get(refused.code, 400)
    return render_template("core/sso/refused.html", message=str(refused)), status


def end_session_url() -> str | None:
    """Where to send a browser that signed in here to end the provider's session
    too, or None (signed in with a password, or the provider offers no sign-out)."""
    id_token = session.get("sso_id_token")
    if id_token is None or "sso" not in current_app.extensions:
        return None
    try:
        metadata = client().load_server_metadata()
    except requests.RequestException:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    result = client().create_logout_url(
        post_logout_redirect_uri=url_for("core.login", _external=True),
        id_token_hint=id_token or None,
        client_id=current_app.config["OIDC_CLIENT_ID"],
    )
    return result["url"]
