"""The purchase plan (issue 14): for a jobcentre, a budget and a period, the
seats (person x session) that close the most priority-weighted gap, as an exact
mixed-integer program (HiGHS), beside the greedy choice, exported to Excel and
turned into booking requests in one step.

A sub-package of the reports, wired by learning.reports.init_app: the pure
optimisation (optimise.py), the service that builds it from the matching engine
(services.py), and its pages (views.py).
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav
from learning.reports.purchase import views
from learning.reports.purchase.permissions import (
    can_request_purchase,
    can_see_purchase_plan,
)

# How long the solver may search before the best plan found is shown with its
# proven bound (seconds); instance/config.py may change it.
DEFAULT_SECONDS = 10


def init_app(app: Flask) -> None:
    """Register the pages, the menu link and the solver's time limit."""
    app.config.setdefault("PURCHASE_PLAN_SECONDS", DEFAULT_SECONDS)
    app.register_blueprint(views.bp, name_prefix="learning.reports")
    app.jinja_env.globals.update(
        can_see_purchase_plan=can_see_purchase_plan,
        can_request_purchase=can_request_purchase,
    )
    add_nav(
        app,
        NavItem(
            _l("Purchase plan"),
            "learning.reports.purchase.plan",
            can_see_purchase_plan,
            order=720,
        ),
    )
