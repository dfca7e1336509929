"""The competence framework: areas, competences, the scale and job-function profiles."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav
from learning.competences import import_views, models, views  # noqa: F401
from learning.competences.labels import (
    kind_label,
    layer_label,
    localised,
    priority_label,
)
from learning.competences.permissions import (
    can_maintain_framework,
    can_set_job_functions,
)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp, name_prefix="learning")
    app.jinja_env.filters["localised"] = localised
    app.jinja_env.globals.update(
        can_maintain_framework=can_maintain_framework,
        can_set_job_functions=can_set_job_functions,
        kind_label=kind_label,
        layer_label=layer_label,
        priority_label=priority_label,
    )
    add_nav(
        app,
        NavItem(
            _l("Competence framework"),
            "learning.competences.index",
            can_maintain_framework,
            order=330,
        ),
    )
