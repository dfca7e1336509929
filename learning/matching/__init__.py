"""Course -> competence links (owned here), gaps -> ranked sessions, mentors."""

import functools

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from core import api as core_api
from core.registry import NavItem, PageLink, add_nav, add_page_link, add_seeder
from learning.matching.permissions import (
    can_maintain_course_links,
    can_see_own_suggestions,
    can_see_suggestions,
    can_see_team_suggestions,
)


def init_app(app: Flask) -> None:
    """Register the matching pages, their menu links and template predicates."""
    # Imported here, not above: the pages need the course links' tables, while
    # the pure ranking (learning.matching.ranking) must import on its own.
    from learning.matching import api, models, suggestion_views  # noqa: F401

    _init_course_links(app)
    app.register_blueprint(suggestion_views.bp, name_prefix="learning")
    core_api.register(app, api.bp, _l("Gaps and suggestions"))
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


def _init_course_links(app: Flask) -> None:
    """The coordinator's page per course (linked from the course's page, which
    courses renders from the registry), the bulk import and export, the evidence
    a completed booking leaves, and the demo links."""
    from learning.assessments import services as assessments
    from learning.matching import handlers  # noqa: F401  (signal handlers)
    from learning.matching.demo import seed_demo_links
    from learning.matching.evidence import evidence_by_competence

    assessments.add_evidence_source(evidence_by_competence)

    app.register_blueprint(_course_links_blueprint(), name_prefix="learning")
    app.jinja_env.globals.update(can_maintain_course_links=can_maintain_course_links)
    add_page_link(
        app,
        PageLink(
            "course",
            _l("Competences the course develops"),
            "learning.course_links.edit",
            can_maintain_course_links,
            lambda course: {"course_id": course.id},
        ),
    )
    add_seeder(app, 60, seed_demo_links)


@functools.cache
def _course_links_blueprint() -> Blueprint:
    """The per-course page's blueprint with the bulk import and export added,
    once per process (Flask refuses new routes on a registered blueprint)."""
    from learning.matching import link_import_views, views

    link_import_views.register(views.bp)
    return views.bp
