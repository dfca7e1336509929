"""Provisioning from the organisation's directory over SCIM 2.0 (RFC 7643 and
7644): people and groups under /scim/v2, with a token an administrator makes on
the page core.scim.token_views serves."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.extensions import csrf
from core.registry import PersonalData, add_personal_data
from core.scim import token_views, views


def init_app(app: Flask) -> None:
    add_personal_data(
        app,
        PersonalData(
            "scim_users",
            _l("How your organisation's directory knows your account."),
            subject="user_id",
            plain=("user_name", "external_id"),
            on_erase="delete",
        ),
        PersonalData(
            "directory_group_members",
            _l("The groups of your organisation's directory you are in."),
            subject="user_id",
            on_erase="delete",
        ),
    )
    # A token authenticates every request; no cookie does, so no CSRF token.
    csrf.exempt(views.bp)
    app.register_blueprint(views.bp)
    token_views.init_app(app)
