"""Self, manager and agreed ratings; current levels, gaps and the pictures of them."""

from flask import Flask

from core.registry import add_seeder
from learning.assessments import models, services  # noqa: F401  (tables, usage hooks)
from learning.assessments.demo_loader import seed_demo
from learning.assessments.permissions import (
    can_manager_assess,
    can_self_assess,
    can_set_agreed,
    can_view_jobcentre_map,
    can_view_ratings,
    can_view_team_map,
)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        can_view_ratings=can_view_ratings,
        can_self_assess=can_self_assess,
        can_manager_assess=can_manager_assess,
        can_set_agreed=can_set_agreed,
        can_view_team_map=can_view_team_map,
        can_view_jobcentre_map=can_view_jobcentre_map,
    )
    add_seeder(app, 30, seed_demo)
