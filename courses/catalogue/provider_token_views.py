"""The provider's token page: every provider-scope token its staff made, who
made it and when it was last used, and a button to revoke each active one."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db, utcnow
from core.permissions import require
from core.tokens import services as tokens
from courses.catalogue.forms import ConfirmForm
from courses.catalogue.models import Provider
from courses.catalogue.permissions import can_manage_provider
from courses.catalogue.provider_tokens import tokens_of


def _provider_or_404(provider_id: int) -> Provider:
    provider = db.get_or_404(Provider, provider_id)
    require(can_manage_provider(current_user, provider))
    return provider


@login_required
def index(provider_id: int):
    provider = _provider_or_404(provider_id)
    return (
        render_template(
            "courses/catalogue/provider_tokens.html",
            provider=provider,
            tokens=tokens_of(provider),
            now=utcnow(),
            form=ConfirmForm(),
        ),
        200,
        {"Cache-Control": "no-store"},
    )


@login_required
def revoke(provider_id: int, token_id: int):
    provider = _provider_or_404(provider_id)
    if not ConfirmForm().validate_on_submit():
        abort(
            400, description=_("The form has expired. Reload the page and try again.")
        )
    # Only a token listed on this provider's page: any other is not found here.
    token = next((t for t in tokens_of(provider) if t.id == token_id), None)
    if token is None:
        abort(404)
    tokens.revoke(token, by=current_user)
    db.session.commit()
    flash(
        _(
            "The token %(name)s made by %(owner)s is revoked.",
            name=token.name,
            owner=token.owner.name,
        ),
        "success",
    )
    return redirect(url_for(".provider_tokens", provider_id=provider.id))


def register(bp: Blueprint) -> None:
    """Add the provider's token page to the catalogue's blueprint."""
    bp.add_url_rule(
        "/udbyder/<int:provider_id>/adgangsnoegler",
        endpoint="provider_tokens",
        view_func=index,
    )
    bp.add_url_rule(
        "/udbyder/<int:provider_id>/adgangsnoegler/<int:token_id>/tilbagekald",
        endpoint="revoke_provider_token",
        view_func=revoke,
        methods=["POST"],
    )
