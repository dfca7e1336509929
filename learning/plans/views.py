"""The plan pages: my plans, a new plan, the plan with the talk, its goals and
activities, and the owner's and manager's edits. Decisions are in
decision_views.py, the manager's inbox and exports in inbox_views.py."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from core.clock import today
from core.db import db
from core.permissions import require
from core.templating import localised
from courses.bookings.errors import BookingError
from learning.competences.forms import competence_choices
from learning.plans import page_data, services
from learning.plans.errors import PlanError
from learning.plans.forms import (
    ActionForm,
    ActivityForm,
    GoalForm,
    NewPlanForm,
    PreparationForm,
    SessionActivityForm,
    StatusReportForm,
    TalkForm,
    UnitPlanForm,
)
from learning.plans.models import ActivityKind, Plan, PlanKind
from learning.plans.permissions import (
    can_edit_plan,
    can_make,
    can_use_plans,
    can_view_plan,
)

bp = Blueprint("plans", __name__, url_prefix="/planer")

# Refusals caused by what was typed (400); not_allowed is 403, the rest 409.
BAD_INPUT = frozenset(
    {
        "bad_period",
        "bad_goal",
        "bad_level",
        "bad_competence",
        "bad_goal_ref",
        "bad_cost",
        "bad_dates",
        "bad_title",
        "bad_colleague",
        "fund_for_unit",
        "return_needs_comment",
        "text_too_long",
        "goal_exists",
        "not_a_unit",
    }
)


def refuse(message: str, status: int, plan: Plan | None = None, *, undo=True):
    """A Danish message and a 4xx; nothing of the attempt is kept. A GET that
    changed nothing (`undo=False`) keeps what it loaded, so the page reads no
    row twice."""
    plan_id = plan.id if plan is not None else None
    if undo:
        db.session.rollback()
    return render_template(
        "learning/plans/refused.html", message=message, plan_id=plan_id
    ), status


def refuse_error(exc: PlanError | BookingError, plan: Plan | None = None):
    status = 400 if exc.code in BAD_INPUT else 409
    return refuse(str(exc), 403 if exc.code == "not_allowed" else status, plan)


def plan_or_404(plan_id: int) -> Plan:
    plan = page_data.load_plan(plan_id)
    if plan is None:
        abort(404)
    require(can_view_plan(current_user, plan))
    return plan


def back_to(plan: Plan, anchor: str = ""):
    url = url_for("learning.plans.detail", plan_id=plan.id)
    return redirect(f"{url}#{anchor}" if anchor else url)


@bp.route("")
@login_required
def index():
    require(can_use_plans(current_user))
    plans = db.session.scalars(
        sa.select(Plan)
        .where(Plan.kind == PlanKind.person, Plan.owner_id == current_user.id)
        # The list counts each plan's goals and activities: one query each kind.
        .options(selectinload(Plan.goals), selectinload(Plan.activities))
        .order_by(Plan.starts_on.desc())
    ).all()
    day = today()
    return render_template(
        "learning/plans/index.html",
        plans=plans,
        form=NewPlanForm(),
        current=services.period_containing(day),
        following=services.next_period(day),
    )


@bp.route("/ny", methods=["POST"])
@login_required
def new():
    require(can_use_plans(current_user))
    form = NewPlanForm()
    if not form.validate_on_submit():
        return refuse(_("Choose the period the plan is for."), 400)
    day = today()
    pick = (
        services.next_period
        if form.period.data == "next"
        else (services.period_containing)
    )
    starts_on, ends_on = pick(day)
    try:
        plan = services.create_plan(
            current_user, current_user, starts_on=starts_on, ends_on=ends_on
        )
    except PlanError as exc:
        return refuse_error(exc)
    db.session.commit()
    flash(_("Your development plan is started."), "success")
    return back_to(plan)


@bp.route("/<int:plan_id>")
@login_required
def detail(plan_id: int):
    plan, fund_used = page_data.load_plan_with_fund(plan_id)
    if plan is None:
        abort(404)
    require(can_view_plan(current_user, plan))
    return render_detail(plan, fund_used=fund_used)


def render_detail(plan: Plan, status: int = 200, *, fund_used=None, **forms):
    person = plan.kind is PlanKind.person
    planning = person and can_edit_plan(current_user, plan)
    # The team's budget is shown to those who approve a person's plan.
    with_budget = person and can_make(current_user, plan, "approve")
    data = page_data.detail(plan, with_budget=with_budget, fund_used=fund_used)
    if planning:  # the goal form lists the framework: only for who adds goals
        forms.setdefault("goal_form", _goal_form(plan, data.scale))
    forms.setdefault("preparation_form", PreparationForm(obj=plan))
    forms.setdefault("talk_form", TalkForm(obj=plan))
    if plan.kind is PlanKind.unit:
        # A unit plan's activities are typed on its own page: no suggestions.
        forms.setdefault("activity_form", _activity_form(plan, []))
        forms.setdefault("unit_form", unit_form(plan))
        forms.setdefault("report_form", StatusReportForm(obj=plan))
    template = (
        "learning/plans/detail.html"
        if plan.kind is PlanKind.person
        else "learning/plans/unit_detail.html"
    )
    return render_template(
        template,
        data=data,
        plan=plan,
        action_form=ActionForm(),
        session_form=SessionActivityForm(),
        **forms,
    ), status


@bp.route("/<int:plan_id>/tilfoej-aktiviteter")
@login_required
def add_activities(plan_id: int):
    """'Tilføj aktiviteter': the suggested sessions, the colleagues who can help
    and the form for an activity of one's own. A page of its own, one click
    from the plan, so the plan itself reads only the plan and the gaps."""
    plan = plan_or_404(plan_id)
    if plan.kind is not PlanKind.person:
        abort(404)  # a unit plan's activities are added on the plan's page
    if not can_edit_plan(current_user, plan):
        return refuse(str(PlanError("not_allowed")), 403, plan, undo=False)
    return render_additions(plan)


def render_additions(plan: Plan, status: int = 200, activity_form=None):
    data = page_data.additions(plan)
    return render_template(
        "learning/plans/add_activities.html",
        data=data,
        plan=plan,
        activity_form=activity_form or _activity_form(plan, data.colleagues),
        session_form=SessionActivityForm(),
    ), status


def unit_form(plan: Plan) -> UnitPlanForm:
    form = UnitPlanForm(obj=plan)
    form.unit_id.choices = [(str(plan.unit_id), plan.unit.name)]
    form.unit_id.data = str(plan.unit_id)
    return form


def _goal_form(plan: Plan, scale, formdata=None) -> GoalForm:
    form = GoalForm(formdata=formdata) if formdata is not None else GoalForm()
    form.competence_id.choices = [("", _("A goal in words only"))] + [
        (str(cid), label) for cid, label in competence_choices()
    ]
    form.target_level.choices = [("", "–")] + [
        (str(lv.value), f"{lv.value} {lv.label}") for lv in scale.levels if lv.value > 0
    ]
    return form


def _activity_form(plan: Plan, colleagues, formdata=None) -> ActivityForm:
    form = ActivityForm(formdata=formdata) if formdata is not None else ActivityForm()
    kinds = [k for k in ActivityKind if k is not ActivityKind.course]
    form.kind.choices = [c for c in form.kind.choices if ActivityKind(c[0]) in kinds]
    form.goal_id.choices = [("", _("No particular goal"))] + [
        (str(g.id), localised(g.competence) if g.competence else g.text[:80])
        for g in plan.goals
    ]
    form.colleague_id.choices = [("", _("Nobody in particular"))] + [
        (str(u.id), u.name) for u in colleagues
    ]
    if plan.kind is PlanKind.person:
        # One person's activity is for that person: no count to type or to forge.
        del form.participants
    return form
