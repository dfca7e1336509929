"""Single sign-on through the organisation's OpenID provider (OpenID Connect,
authorization code flow with PKCE), switched on by OIDC_ISSUER."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import PersonalData, add_personal_data
from core.sso import client, models, views

__all__ = ["init_app", "models"]


def init_app(app: Flask) -> None:
    add_personal_data(
        app,
        PersonalData(
            "sign_on_identities",
            _l("The account at your organisation's sign-in that yours is linked to."),
            subject="user_id",
            plain=("issuer", "subject"),
            on_erase="delete",
        ),
    )
    if app.config["OIDC_ISSUER"]:
        client.register(app)
        app.register_blueprint(views.bp, name_prefix="core")
