"""Internal learning (seed 004): colleagues' job shadowing and peer sessions,
booked through the courses' booking life cycle and signed off by the host, and
colleagues and key persons suggested as mentors for a person's gaps.

A sub-area of its own beside matching: it has its own tables, workflow, pages and
demo data, and uses matching's links and gap loader, never the other way round.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav, add_seeder
from courses.bookings import guards
from courses.bookings import services as bookings
from learning.internal import mentor_views, offer_views, rules
from learning.internal.demo import seed_internal
from learning.internal.permissions import (
    can_manage_offer,
    can_sign_off,
    can_use_internal_learning,
)


def init_app(app: Flask) -> None:
    """Register the pages, the booking rules (hosts' busy days included), the
    menu link and the demo offers."""
    app.register_blueprint(offer_views.bp, name_prefix="learning")
    app.register_blueprint(mentor_views.bp, name_prefix="learning")
    bookings.add_party_rule(app, rules.host_is_provider)
    bookings.add_approval_rule(app, rules.offer_needs_approval)
    guards.add_busy_source(app, rules.hosted_busy)
    app.jinja_env.globals.update(
        can_use_internal_learning=can_use_internal_learning,
        can_manage_offer=can_manage_offer,
        can_sign_off=can_sign_off,
    )
    add_nav(
        app,
        NavItem(
            _l("Internal learning"),
            "learning.internal.index",
            can_use_internal_learning,
            order=318,
        ),
    )
    add_seeder(app, 80, seed_internal)
