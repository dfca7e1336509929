"""The manager's plan inbox, the team's plans by state, and their CSV and Excel
export. Each page reads a fixed number of queries, whatever the number of plans."""

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
from core.people.models import User
from core.people.services import managed_team_ids
from core.permissions import require
from core.templating import localised
from learning.import_views import attachment
from learning.plans import figures, page_data
from learning.plans.labels import FUNDING_LABELS, KIND_LABELS, STATUS_LABELS
from learning.plans.models import Plan, PlanKind, PlanStatus
from learning.plans.permissions import can_use_plan_inbox
from learning.plans.views import bp
from learning.tables import write_csv_table, write_xlsx_table


def _team_plans(*statuses: PlanStatus, goals: bool = False) -> list[Plan]:
    """Plans of the people in the teams the user leads (admins: every team), with
    their activities (and goals for the export); the lists show no history."""
    query = (
        page_data.plan_query(goals=goals, decisions=False)
        .join(Plan.owner)
        .where(Plan.kind == PlanKind.person, Plan.owner_id != current_user.id)
    )
    if not current_user.is_admin:
        query = query.where(User.team_id.in_(managed_team_ids(current_user)))
    if statuses:
        query = query.where(Plan.status.in_(statuses))
    return list(
        db.session.scalars(query.order_by(Plan.submitted_at, User.name)).unique()
    )


@bp.route("/indbakke")
@login_required
def inbox():
    """Plans waiting for the manager's decision, with cost against the budget."""
    require(can_use_plan_inbox(current_user))
    plans = _team_plans(PlanStatus.submitted)
    return render_template(
        "learning/plans/inbox.html", plans=plans, figures=figures.for_plans(plans)
    )


@bp.route("/team")
@login_required
def team():
    require(can_use_plan_inbox(current_user))
    plans = _team_plans()
    counts = {s: sum(1 for p in plans if p.status is s) for s in PlanStatus}
    return render_template(
        "learning/plans/team.html",
        plans=plans,
        counts=counts,
        figures=figures.for_plans(plans, with_budget=False),
    )


_COLUMNS = (
    "person",
    "team",
    "period_from",
    "period_to",
    "plan_status",
    "activity",
    "activity_kind",
    "from",
    "to",
    "cost",
    "funding",
    "fund_share",
    "jobcentre_share",
    "goal",
    "activity_status",
)


@bp.route("/team.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """One row per activity of the team's plans (a plan without any: one row)."""
    require(can_use_plan_inbox(current_user))
    plans = _team_plans(goals=True)
    money = figures.for_plans(plans, with_budget=False)
    rows = []
    for plan in plans:
        shares = money[plan.id].totals.shares
        counted = [a for a in plan.activities if a.counts]
        head = [
            plan.owner.name,
            plan.owner.team.name if plan.owner.team else "",
            plan.starts_on.isoformat(),
            plan.ends_on.isoformat(),
            str(STATUS_LABELS[plan.status]),
        ]
        if not plan.activities:
            rows.append(head + [""] * (len(_COLUMNS) - len(head)))
        for activity in plan.activities:
            share = shares[counted.index(activity)] if activity.counts else None
            goal = activity.goal
            rows.append(
                head
                + [
                    activity.title,
                    str(KIND_LABELS[activity.kind]),
                    activity.starts_on.isoformat() if activity.starts_on else "",
                    activity.ends_on.isoformat() if activity.ends_on else "",
                    activity.cost,
                    str(FUNDING_LABELS[activity.funding]),
                    share.fund if share else 0,
                    share.jobcentre if share else 0,
                    (
                        localised(goal.competence)
                        if goal and goal.competence
                        else goal.text
                        if goal
                        else ""
                    ),
                    activity.status.value,
                ]
            )
    name = "udviklingsplaner"
    if fmt == "csv":
        body = write_csv_table(_COLUMNS, ([_cell(v) for v in r] for r in rows))
        return attachment(body, "text/csv; charset=utf-8", f"{name}.csv")
    body = write_xlsx_table(_COLUMNS, rows, title=_("Development plans"))
    return attachment(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{name}.xlsx",
    )


def _cell(value) -> str:
    """Amounts the Danish way in the CSV (Excel reads '1250,50' as a number)."""
    if hasattr(value, "quantize"):
        return format(value, "f").replace(".", ",")
    return str(value)
