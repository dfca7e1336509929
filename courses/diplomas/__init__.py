"""Diploma programmes, their modules and ECTS rules, and a person's progress."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, Panel, add_nav, add_panel, add_seeder
from courses.diplomas import (
    catalogue_part,
    models,  # noqa: F401  (registers the tables)
    permissions,
    services,
    views,
)
from courses.diplomas.demo import seed_diplomas


def init_app(app: Flask) -> None:
    """Register the diploma pages, demo data and share of the catalogue."""
    app.register_blueprint(views.bp, name_prefix="courses")
    catalogue_part.register(app)
    add_seeder(app, 25, seed_diplomas)
    app.jinja_env.globals.update(can_view_progress=permissions.can_view_progress)
    add_panel(app, Panel("courses/diplomas/_panel.html", build=_panel, order=40))
    add_nav(
        app,
        NavItem(
            _l("Diplomas"),
            "courses.diplomas.index",
            permissions.can_view_diplomas,
            order=110,
        ),
    )


def _panel(user) -> dict | None:
    """The dashboard's diploma panel, for people who have started one."""
    diplomas = services.diplomas_of(user)
    return {"diplomas": diplomas} if diplomas else None
