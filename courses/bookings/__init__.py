"""Bookings, waiting lists, approvals, attendance, budgets and declared interest."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from core import api as core_api
from core.registry import (
    NavItem,
    PageSection,
    Panel,
    add_nav,
    add_page_section,
    add_panel,
    add_seeder,
)
from courses.bookings import (
    api,
    approval_views,
    budget_views,
    cli,
    guards,
    handlers,  # noqa: F401  (connects to the session signals)
    models,  # noqa: F401  (registers the tables)
    page_data,
    permissions,
    provider_views,
    services,
    views,
)
from courses.bookings.demo import seed_bookings
from courses.bookings.errors import STATUS_LABELS
from courses.catalogue.contributions import add_course_page_part


def _panel(user) -> dict | None:
    """The dashboard panel: offers, upcoming seats, waiting; requests to decide."""
    counts = services.dashboard_counts(user)
    if not any(counts.values()) and not permissions.can_use_inbox(user):
        return None
    return counts


def _blueprint() -> Blueprint:
    """The bookings' pages, each view module adding its own, listed here."""
    bp = Blueprint("bookings", __name__)
    for pages in (views, approval_views, budget_views, provider_views):
        pages.register(bp)
    return bp


def init_app(app: Flask) -> None:
    """Register the booking pages, commands, template helpers, menu and demo data."""
    app.register_blueprint(_blueprint(), name_prefix="courses")
    core_api.register(app, api.bp, _l("Bookings"))
    cli.init_app(app)
    app.jinja_env.globals.update(
        booking_status_labels=STATUS_LABELS,
        audience_refusal=guards.audience_refusal,
    )
    add_nav(
        app,
        NavItem(
            _l("My bookings"), "courses.bookings.mine", permissions.can_book, order=150
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Approvals"),
            "courses.bookings.inbox",
            permissions.can_use_inbox,
            order=400,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Budgets"),
            "courses.bookings.budget_index",
            permissions.can_manage_budgets,
            order=700,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Interest"),
            "courses.bookings.interest_report",
            permissions.can_view_interest,
            order=710,
        ),
    )
    add_course_page_part(app, page_data.course_page)
    add_page_section(
        app,
        PageSection(
            "course_session",
            "courses/bookings/_participants.html",
            provider_views.participants_section,
        ),
    )
    add_seeder(app, 50, seed_bookings)
    add_panel(app, Panel("courses/bookings/_panel.html", build=_panel, order=20))
