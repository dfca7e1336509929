"""Error pages in the user's language, and 400 for bad input instead of 500."""

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from core import kept_form_views, security_log
from core.api import errors as api_errors
from core.db import db
from core.numbers import INT4_MAX
from core.scim import errors as scim_errors


class IdConverter(IntegerConverter):
    """`<int:...>` in an address, up to the largest id a table can hold: a larger
    number names nothing (404) instead of overflowing the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT4_MAX)
        super().__init__(map, *args, **kwargs)


def _roll_back() -> None:
    # The error may have left the transaction failed (PostgreSQL refuses every
    # statement after an error; a failed flush does so everywhere), and the page
    # frame queries for the user's name and notifications. Nothing half-done is kept.
    db.session.rollback()


def init_app(app: Flask) -> None:
    # Before any blueprint adds its routes: converters are bound as rules are added.
    app.url_map.converters["int"] = IdConverter

    kept_form_views.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # Never acted on; the answers come back to the person who typed them.
        _roll_back()
        kept = kept_form_views.after_refused_token()
        if kept is not None:
            return kept
        return render_template("errors/csrf.html", error=error), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        _roll_back()
        _log_refusal(code)
        if api_errors.is_api(request.path):
            return api_errors.answer(error)
        if scim_errors.is_scim(request.path):
            return scim_errors.answer(error)
        template = (
            f"errors/{code}.html"
            if code in (400, 403, 404, 405)
            else ("errors/generic.html")
        )
        # A refused token's challenge (WWW-Authenticate) or wait (Retry-After).
        headers = (getattr(error, "data", None) or {}).get("headers") or {}
        return render_template(template, error=error), code, headers


def _log_refusal(code: int) -> None:
    """A refused page, API call or directory call (403), or a bearer token that
    is missing or wrong (401: only the token routes raise one), for the log
    monitoring; never the token itself."""
    address = request.remote_addr or ""
    if code == 403:
        security_log.access_refused(
            str(current_user.id) if current_user.is_authenticated else None,
            address,
            request.method,
            request.path,
        )
    elif code == 401:
        security_log.token_refused(address, request.method, request.path)
