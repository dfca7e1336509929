"""Bookings, waiting lists, approvals, attendance, budgets and declared interest."""

from flask import Blueprint, Flask, g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

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
    approval_views,
    budget_views,
    cli,
    eligibility,
    guards,
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


def _mine() -> tuple[dict, dict]:
    """The signed-in person's active bookings by session, and their places in the
    queues: two queries per request, however many sessions a page lists."""
    cache = g.get("_my_bookings") if has_request_context() else None
    if cache is None:
        by_session = services.active_bookings_by_session(current_user)
        cache = (by_session, services.waitlist_positions(list(by_session.values())))
        if has_request_context():
            g._my_bookings = cache
    return cache


def my_booking(course_session):
    """The signed-in person's active booking on `course_session`, or None."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    return _mine()[0].get(course_session.id)


def my_queue_place(booking) -> int | None:
    """The person's place on the waiting list of `booking`'s session."""
    return _mine()[1].get(booking.id)


def booking_options(course_sessions) -> dict:
    """What the signed-in person may do on each session (eligibility.options)."""
    if not getattr(current_user, "is_authenticated", False):
        return {}
    return eligibility.options(current_user, course_sessions)


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
    cli.init_app(app)
    app.jinja_env.globals.update(
        my_booking=my_booking,
        my_queue_place=my_queue_place,
        booking_closed=services.booking_closed,
        booking_status_labels=STATUS_LABELS,
        waitlist_positions=services.waitlist_positions,
        approval_reason=services.approval_reason,
        booking_options=booking_options,
        audience_refusal=guards.audience_refusal,
        course_interest_of=interest.interest_of,
        has_open_session=interest.has_open_session,
        interest_refusal=interest.refusal,
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
