"""The competence framework: areas, competences, the scale and job-function profiles."""

from flask import Flask

from learning.competences import models  # noqa: F401  (tables for create_all)
from learning.competences.labels import kind_label, layer_label, priority_label
from learning.competences.permissions import (
    can_maintain_framework,
    can_set_job_functions,
)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_maintain_framework=can_maintain_framework,
        can_set_job_functions=can_set_job_functions,
        kind_label=kind_label,
        layer_label=layer_label,
        priority_label=priority_label,
    )
