"""Diploma programmes, their modules and ECTS rules, and a person's progress."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav
from courses.diplomas import models, permissions, views  # noqa: F401  (the tables)


def init_app(app: Flask) -> None:
    """Register the diploma pages."""
    app.register_blueprint(views.bp, name_prefix="courses")
    app.jinja_env.globals.update(can_view_progress=permissions.can_view_progress)
    add_nav(
        app,
        NavItem(
            _l("Diplomas"),
            "courses.diplomas.index",
            permissions.can_view_diplomas,
            order=110,
        ),
    )
