"""Self, manager and agreed ratings; current levels, gaps and the pictures of them."""

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, Panel, add_nav, add_panel, add_seeder
from core.templating import kept_label
from learning.assessments import models, services, views  # noqa: F401  (tables, hooks)
from learning.assessments.demo import seed_demo
from learning.assessments.models import RatingSource
from learning.assessments.permissions import (
    can_manager_assess,
    can_self_assess,
    can_set_agreed,
    can_view_jobcentre_map,
    can_view_ratings,
    can_view_team_map,
)

SOURCE_LABELS = {
    RatingSource.self: _l("Self-assessment"),
    RatingSource.manager: _l("Manager's assessment"),
    RatingSource.agreed: _l("Agreed level"),
}


def source_label(source: RatingSource) -> str:
    return kept_label(SOURCE_LABELS, source)


def _panel(user) -> dict | None:
    """The dashboard summary of one's own gaps; hidden for people without a team."""
    if getattr(user, "team_id", None) is None:
        return None
    gaps, last_self = services.gaps_and_last_round(user, RatingSource.self)
    return {
        "competences": len(gaps.items),
        "below": len(gaps.in_order()),
        "talk_topics": len(gaps.talk_topics),
        # Not rated by anyone yet: unknown, so neither "below" nor "met".
        "unassessed": len(gaps.unassessed),
        "last_self": last_self,
    }


def _in_a_team(user) -> bool:
    """Jobcentre staff have a team; admins and providers' staff have no profile."""
    return getattr(user, "team_id", None) is not None


def _gaps_once_per_get() -> None:
    """A GET writes nothing, so the gaps of the same people are computed once in
    it however many parts of the page ask (services.gaps_for)."""
    if request.method in ("GET", "HEAD"):
        g.assessment_gaps_token = services.remember_gaps()


def _forget_gaps(_exc=None) -> None:
    token = g.pop("assessment_gaps_token", None)
    if token is not None:
        services.forget_gaps(token)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp, name_prefix="learning")
    app.before_request(_gaps_once_per_get)
    app.teardown_request(_forget_gaps)
    app.jinja_env.globals.update(
        can_view_ratings=can_view_ratings,
        can_self_assess=can_self_assess,
        can_manager_assess=can_manager_assess,
        can_set_agreed=can_set_agreed,
        can_view_team_map=can_view_team_map,
        can_view_jobcentre_map=can_view_jobcentre_map,
        source_label=source_label,
    )
    add_nav(
        app,
        NavItem(
            _l("My competence profile"),
            "learning.assessments.my_profile",
            _in_a_team,
            order=300,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("The team's competences"),
            "learning.assessments.team",
            can_view_team_map,
            order=310,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("The jobcentre's competences"),
            "learning.assessments.jobcentre",
            can_view_jobcentre_map,
            order=320,
        ),
    )
    add_panel(app, Panel("learning/assessments/_panel.html", build=_panel, order=30))
    add_seeder(app, 30, seed_demo)
