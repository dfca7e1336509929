"""Diploma programmes, their modules and ECTS rules, and a person's progress."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, Panel, add_nav, add_panel
from courses.diplomas import models, permissions, services, views  # noqa: F401


def init_app(app: Flask) -> None:
    """Register the diploma pages."""
    app.register_blueprint(views.bp, name_prefix="courses")
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
