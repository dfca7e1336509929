"""Course -> competence links (owned here), gaps -> ranked sessions, mentors."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav
from learning.matching.permissions import (
    can_see_own_suggestions,
    can_see_suggestions,
    can_see_team_suggestions,
)


def init_app(app: Flask) -> None:
    """Register the matching pages, their menu links and template predicates."""
    # Imported here, not above: the pages need the course links' tables, while
    # the pure ranking (learning.matching.ranking) must import on its own.
    from learning.matching import models, suggestion_views  # noqa: F401  (tables)

    app.register_blueprint(suggestion_views.bp, name_prefix="learning")
    app.jinja_env.globals.update(
        can_see_suggestions=can_see_suggestions,
        can_see_team_suggestions=can_see_team_suggestions,
    )
    add_nav(
        app,
        NavItem(
            _l("Suggestions for you"),
            "learning.matching.suggestions",
            can_see_own_suggestions,
            order=305,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Suggestions for the team"),
            "learning.matching.team",
            can_see_team_suggestions,
            order=315,
        ),
    )
