"""Course sessions and their meetings; the provider's pages."""

from flask import Flask

from courses.sessions import models, views  # noqa: F401  (models: the tables)


def init_app(app: Flask) -> None:
    """Register the session pages."""
    app.register_blueprint(views.bp, name_prefix="courses")
