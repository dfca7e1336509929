"""The competence framework: areas, competences, the scale and job-function profiles."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core import api as core_api
from core.registry import NavItem, add_nav
from learning.competences import (
    api,
    import_views,
    models,  # noqa: F401  (registers the tables)
    views,
)
from learning.competences.labels import (
    kind_label,
    layer_label,
    priority_label,
)
from learning.competences.permissions import (
    can_maintain_framework,
    can_set_job_functions,
)

# Each view module adds its pages to the area's blueprint here, once per process
# (Flask refuses new routes on a blueprint an app has registered).
import_views.register(views.bp)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp, name_prefix="learning")
    core_api.register(app, api.bp, _l("Competence framework"))
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
