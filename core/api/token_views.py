"""The page where a person makes and revokes their own API access tokens; the
plaintext is shown once, in the answer to the form that made it."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.api.auth import scopes_for
from core.api.forms import TokenForm
from core.db import db, utcnow
from core.registry import NavItem, add_nav
from core.tokens import services as tokens
from core.tokens.models import DIRECTORY_SCOPE, ApiToken

bp = Blueprint("api_tokens", __name__, url_prefix="/konto/adgangsnoegler")


def _own_tokens(user) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.owner_id == user.id)
            # The directory's tokens are the organisation's, kept on its own page.
            .where(~ApiToken.holds(DIRECTORY_SCOPE))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def _page(form: TokenForm, *, plaintext: str | None = None, status: int = 200):
    response = render_template(
        "core/api/tokens.html",
        form=form,
        tokens=_own_tokens(current_user),
        now=utcnow(),
        plaintext=plaintext,
    )
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = TokenForm(scopes=scopes_for(current_user))
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    days = form.lifetime.data
    expires_at = utcnow() + timedelta(days=int(days)) if days else None
    _token, plaintext = tokens.issue(
        current_user, form.name.data, form.scopes.data, expires_at=expires_at
    )
    db.session.commit()
    # Shown in this answer only: the database keeps a hash, never the token.
    return _page(
        TokenForm(formdata=None, scopes=scopes_for(current_user)),
        plaintext=plaintext,
        status=201,
    )


@bp.post("/<int:token_id>/tilbagekald")
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    # Another person's token is not found, not forbidden.
    if token is None or token.owner_id != current_user.id:
        abort(404)
    tokens.revoke(token, by=current_user)
    db.session.commit()
    flash(_("The token %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav(
        app,
        NavItem(
            _l("API access tokens"),
            "api_tokens.index",
            lambda user: bool(getattr(user, "is_authenticated", False)),
            order=990,
        ),
    )
