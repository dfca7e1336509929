"""Provisioning from the organisation's directory over SCIM 2.0 (RFC 7643 and
7644): people and groups under /scim/v2, with a token an administrator makes on
the page core.scim.token_views serves."""

from flask import Flask

from core.extensions import csrf
from core.scim import token_views, views


def init_app(app: Flask) -> None:
    # A token authenticates every request; no cookie does, so no CSRF token.
    csrf.exempt(views.bp)
    app.register_blueprint(views.bp)
    token_views.init_app(app)
