"""Course sessions and their meetings; the provider's pages."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core import api as core_api
from core.registry import add_seeder
from courses.sessions import api, catalogue_part, models, views  # noqa: F401  (models: the tables)
from courses.sessions.demo import seed_sessions


def init_app(app: Flask) -> None:
    """Register the session pages."""
    app.register_blueprint(views.bp, name_prefix="courses")
    core_api.register(app, api.bp, _l("Course sessions"))
    add_seeder(app, 40, seed_sessions)
    catalogue_part.register(app)
