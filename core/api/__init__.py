"""The JSON API under /api/v1: its OpenAPI 3.1 document, generated from the code
by flask-smorest, the readable page for developers, JSON errors and pagination.

Each area keeps its endpoints in an `api` module (a flask-smorest Blueprint) and
registers it here from its init_app, after core has called `init_app`.
"""

from flask import Flask
from flask_smorest import Api, Blueprint

from core.api import docs_views, errors, fields, token_views
from core.api.auth import TOKEN_SCHEME
from core.api.errors import PREFIX
from core.extensions import csrf


class ApiDocument(Api):
    """flask-smorest's Api, less its app-wide error handlers: the pages keep their
    HTML error pages and the API answers in JSON (core.api.errors)."""

    ERROR_SCHEMA = errors.ErrorSchema
    # Every answer an operation gives is documented, none by a catch-all.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    """Serve the document at /api/v1/openapi.json and the page at /api/v1/docs."""
    app.config.update(
        API_TITLE="Kompetence API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Read the catalogue and sessions without a token; everything "
                    "else needs a personal access token sent as "
                    "'Authorization: Bearer <token>' with the scope each "
                    "operation names. Errors are JSON with a machine code and a "
                    "message."
                )
            },
            "servers": [{"url": "/"}],
        },
    )
    api = ApiDocument(app)
    api.spec.components.security_scheme(
        TOKEN_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token, made on the API access tokens page."
            ),
        },
    )
    fields.register(api)
    app.extensions["kompetence_api"] = api
    docs_views.init_app(app, api, PREFIX)
    token_views.init_app(app)


def register(app: Flask, blueprint: Blueprint, title) -> None:
    """Add an area's endpoints to the app and to the document, under `title` (a
    lazy gettext string) on the developers' page. No CSRF: a token, never a
    cookie, says who calls."""
    csrf.exempt(blueprint)
    app.extensions["kompetence_api"].register_blueprint(blueprint)
    docs_views.titles(app)[blueprint.name] = title
