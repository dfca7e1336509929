"""Development plans: a person's plan framed by the yearly development talk
(MUS), approved with its bookings in one step, and units' plans (a regional
advisory project). Uses competences, assessments, matching and internal
learning; bookings move through the courses' own life cycle."""

from functools import cache

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l

from core import api as core_api
from core.db import plain_rows
from core.people.services import managed_team_ids
from core.registry import NavItem, Panel, add_nav, add_panel, add_seeder
from learning.plans import (  # noqa: F401  (their routes join views.bp)
    api,
    colleague_views,
    decision_views,
    edit_views,
    handlers,
    inbox_views,
    unit_views,
    views,
)
from learning.plans.demo import seed_plans
from learning.plans.labels import (
    ACTIVITY_STATUS_LABELS,
    AIMS_LABELS,
    FUNDING_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
)
from learning.plans.models import Plan, PlanKind, PlanStatus
from learning.plans.permissions import (
    can_edit_plan,
    can_make,
    can_prepare_talk,
    can_use_plan_inbox,
    can_use_plans,
    can_use_unit_plans,
    can_view_plan,
)


def _panel(user) -> dict | None:
    """The person's newest plan (None without one) as the panel shows it, and how
    many plans await the manager: one statement (_panel_statement)."""
    if getattr(user, "team_id", None) is None:
        return None
    teams = managed_team_ids(user)
    given = {"owner": user.id} | ({"teams": list(teams)} if teams else {})
    row = plain_rows(_panel_statement(bool(teams)), given).one()
    return {"plan": row if row.id is not None else None, "waiting": row.waiting}


@cache
def _panel_statement(manages: bool) -> sa.Select:
    """The newest plan of the person `owner` (its id, period and state), left
    joined to a one-row select so that the count comes without a plan too; with
    `manages`, the count of plans submitted in the teams `teams` by others, a
    scalar subquery. Built once: built anew each request, the statement and its
    cache key cost more than the answer (issue 19)."""
    owner = sa.bindparam("owner")
    waiting = sa.literal(0)
    if manages:
        waiting = (
            sa.select(sa.func.count(Plan.id))
            .where(
                Plan.status == PlanStatus.submitted,
                Plan.team_id.in_(sa.bindparam("teams", expanding=True)),
                Plan.owner_id != owner,
            )
            .scalar_subquery()
        )
    one_row = sa.select(sa.literal(1).label("one")).subquery()
    return (
        sa.select(
            Plan.id, Plan.starts_on, Plan.ends_on, Plan.status, waiting.label("waiting")
        )
        .select_from(one_row)
        .outerjoin(Plan, sa.and_(Plan.kind == PlanKind.person, Plan.owner_id == owner))
        .order_by(Plan.starts_on.desc())
        .limit(1)
    )


def init_app(app: Flask) -> None:
    """Register the pages, the menu links, the dashboard panel and the demo plans."""
    app.register_blueprint(views.bp, name_prefix="learning")
    core_api.register(app, api.bp, _l("Development plans"))
    app.jinja_env.globals.update(
        can_edit_plan=can_edit_plan,
        can_make_plan_step=can_make,
        can_prepare_talk=can_prepare_talk,
        can_view_plan=can_view_plan,
        plan_status_labels=STATUS_LABELS,
        plan_kind_labels=KIND_LABELS,
        plan_funding_labels=FUNDING_LABELS,
        plan_activity_labels=ACTIVITY_STATUS_LABELS,
        plan_aims_labels=AIMS_LABELS,
    )
    for label, endpoint, allowed, order in (
        (_l("My development plan"), "learning.plans.index", can_use_plans, 302),
        (_l("Plans to approve"), "learning.plans.inbox", can_use_plan_inbox, 402),
        (_l("Unit plans"), "learning.plans.units", can_use_unit_plans, 325),
    ):
        add_nav(app, NavItem(label, endpoint, allowed, order=order))
    add_panel(app, Panel("learning/plans/_panel.html", build=_panel, order=25))
    add_seeder(app, 90, seed_plans)
