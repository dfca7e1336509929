"""Error pages in the user's language, and 400 for bad input instead of 500."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/csrf.html", error=error), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        template = (
            f"errors/{code}.html"
            if code in (400, 403, 404, 405)
            else ("errors/generic.html")
        )
        return render_template(template, error=error), code
