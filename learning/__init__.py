"""The development side: competences, assessments, plans, matching, specialist
areas' knowledge and reports.

Imports core and courses' models, services and signals. Each area package exposes
init_app(app), called here.
"""

from flask import Flask

from learning import (
    assessments,
    competences,
    internal,
    matching,
    personal_data,
    plans,
    reports,
    scale,
    specialist,
)


def init_app(app: Flask) -> None:
    """Register the learning areas."""
    competences.init_app(app)
    assessments.init_app(app)
    matching.init_app(app)
    internal.init_app(app)
    plans.init_app(app)
    specialist.init_app(app)
    reports.init_app(app)
    personal_data.init_app(app)
    scale.init_app(app)
