"""Bookings, waiting lists, approvals, attendance, budgets and declared interest."""

from flask import Flask, g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.registry import NavItem, add_nav, add_seeder
from courses.bookings import (
    approval_views,
    budget_views,
    cli,
    handlers,  # noqa: F401  (connects to the session signals)
    interest,
    models,  # noqa: F401  (registers the tables)
    permissions,
    provider_views,
    services,
    views,
)
from courses.bookings.demo import seed_bookings
from courses.bookings.errors import STATUS_LABELS

__all__ = ["approval_views", "budget_views", "init_app"]


def my_booking(course_session):
    """The signed-in person's active booking on `course_session`; all of them are
    loaded in one query per request, so a list of sessions costs no more."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    cache = g.get("_my_bookings") if has_request_context() else None
    if cache is None:
        cache = services.active_bookings_by_session(current_user)
        if has_request_context():
            g._my_bookings = cache
    return cache.get(course_session.id)


def init_app(app: Flask) -> None:
    """Register the booking pages, commands, template helpers, menu and demo data."""
    app.register_blueprint(views.bp, name_prefix="courses")
    cli.init_app(app)
    app.jinja_env.globals.update(
        my_booking=my_booking,
        booking_status_labels=STATUS_LABELS,
        participants_of=provider_views.participants_of,
        waitlist_positions=services.waitlist_positions,
        approval_reason=services.approval_reason,
        course_interest_of=interest.interest_of,
        has_open_session=interest.has_open_session,
        can_view_participants=permissions.can_view_participants,
        can_use_inbox=permissions.can_use_inbox,
        can_manage_budgets=permissions.can_manage_budgets,
        can_view_interest=permissions.can_view_interest,
        can_transition=permissions.can_transition,
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
    add_seeder(app, 50, seed_bookings)
