"""The administrator's page for the directory's provisioning tokens: make one
(the plaintext shown once, in the answer to the form), see when each was last
used, revoke it."""

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from core.db import db, utcnow
from core.forms import BaseForm
from core.people.models import Role
from core.people.permissions import can_administer
from core.permissions import role_required
from core.registry import NavItem, add_nav
from core.tokens import services as tokens
from core.tokens.models import DIRECTORY_SCOPE, ApiToken

SCOPE = DIRECTORY_SCOPE

bp = Blueprint("scim_tokens", __name__, url_prefix="/admin/katalog")

LIFETIMES = (
    ("365", _l("One year")),
    ("90", _l("90 days")),
    ("", _l("Until it is revoked")),
)


class ScimTokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        description=_l("Which directory uses the token, e.g. 'Entra ID'."),
        validators=[DataRequired(), Length(max=100)],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    lifetime = RadioField(_l("Valid for"), choices=LIFETIMES, default="365")


def _tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .options(joinedload(ApiToken.owner))
            .where(ApiToken.holds(SCOPE))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def _page(form: ScimTokenForm, *, plaintext: str | None = None, status: int = 200):
    body = render_template(
        "core/scim/tokens.html",
        form=form,
        tokens=_tokens(),
        now=utcnow(),
        plaintext=plaintext,
        base_url=url_for("scim.service_provider_config", _external=True).rsplit("/", 1)[
            0
        ],
    )
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.admin)
def index():
    form = ScimTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    days = form.lifetime.data
    expires_at = utcnow() + timedelta(days=int(days)) if days else None
    _token, plaintext = tokens.issue(
        current_user, form.name.data, [SCOPE], expires_at=expires_at
    )
    db.session.commit()
    # Shown in this answer only: the database keeps a hash, never the token.
    return _page(ScimTokenForm(formdata=None), plaintext=plaintext, status=201)


@bp.post("/<int:token_id>/tilbagekald")
@role_required(Role.admin)
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or SCOPE not in token.scopes:
        abort(404)
    tokens.revoke(token, by=current_user)
    db.session.commit()
    flash(_("The token %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for("scim_tokens.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav(
        app,
        NavItem(
            _l("Provisioning from the directory"),
            "scim_tokens.index",
            can_administer,
            order=920,
        ),
    )
