"""Reports (issue 14): what the jobcentre, a team and a region miss, the sessions
that would close it, spend against budget, pictures drawn as SVG with their
numbers beside them, and every table out as CSV and Excel.

Reads the matching engine and the gap rule; it has no tables of its own. The
purchase plan lives in its own sub-package, `learning.reports.purchase`, wired
from here when it is there.
"""

import importlib.util

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav
from learning.reports import kept, views
from learning.reports.permissions import (
    can_see_demand,
    can_see_region,
    can_see_team_report,
)


def init_app(app: Flask) -> None:
    """Register the report pages and, when present, the purchase plan."""
    app.register_blueprint(views.bp, name_prefix="learning")
    kept.init_app(app)
    for label, endpoint, allowed, order in (
        (_l("Demand"), "learning.reports.jobcentre", can_see_demand, 710),
        (_l("Team report"), "learning.reports.team", can_see_team_report, 705),
        (_l("Region"), "learning.reports.region", can_see_region, 715),
    ):
        add_nav(app, NavItem(label, endpoint, allowed, order=order))
    # The purchase plan (learning/reports/purchase/) is built beside the reports;
    # its own init_app registers its blueprint, templates' helpers and menu item.
    if importlib.util.find_spec("learning.reports.purchase") is None:
        return
    purchase = importlib.import_module("learning.reports.purchase")
    # A sub-package still being written has no init_app yet: the app starts.
    if hasattr(purchase, "init_app"):
        purchase.init_app(app)
