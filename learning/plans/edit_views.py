"""Changing a plan: the owner's preparation, goals and activities while the plan
is a draft or returned; the manager's preparation and the talk's record."""

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
from core.people.models import User
from core.permissions import require
from courses.bookings.errors import BookingError
from courses.sessions.models import CourseSession
from learning.competences import services as framework
from learning.plans import page_data, services
from learning.plans.errors import PlanError
from learning.plans.forms import (
    ActionForm,
    GapGoalForm,
    PreparationForm,
    SessionActivityForm,
    TalkForm,
)
from learning.plans.models import Plan, PlanActivity, PlanGoal, PlanKind
from learning.plans.permissions import can_edit_plan
from learning.plans.views import (
    _activity_form,
    _goal_form,
    back_to,
    bp,
    plan_or_404,
    refuse,
    refuse_error,
    render_additions,
    render_detail,
)


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _done(plan, message: str, anchor: str = ""):
    db.session.commit()
    flash(message, "success")
    return back_to(plan, anchor)


def _added(plan, message: str):
    """After an activity is added: a person's plan goes back to 'Tilføj
    aktiviteter' (to add the next, the new one listed there), a unit plan to
    its page, where its activities are typed."""
    if plan.kind is not PlanKind.person:
        return _done(plan, message, "activities")
    db.session.commit()
    flash(message, "success")
    url = url_for("learning.plans.add_activities", plan_id=plan.id)
    return redirect(f"{url}#in-plan")


def _activity_form_again(plan, form):
    if plan.kind is PlanKind.person:
        return render_additions(plan, 400, activity_form=form)
    return render_detail(plan, 400, activity_form=form)


@bp.route("/<int:plan_id>/forberedelse", methods=["POST"])
@login_required
def prepare(plan_id: int):
    plan = plan_or_404(plan_id)
    form = PreparationForm()
    if not form.validate_on_submit():
        return render_detail(plan, 400, preparation_form=form)
    try:
        services.save_texts(
            current_user,
            plan,
            wishes=form.wishes.data,
            employee_note=form.employee_note.data,
        )
    except PlanError as exc:
        return refuse_error(exc, plan)
    return _done(plan, _("Your preparation is saved."), "talk")


@bp.route("/<int:plan_id>/samtale", methods=["POST"])
@login_required
def talk(plan_id: int):
    plan = plan_or_404(plan_id)
    form = TalkForm()
    if not form.validate_on_submit():
        return render_detail(plan, 400, talk_form=form)
    try:
        services.save_talk(
            current_user,
            plan,
            manager_note=form.manager_note.data,
            talk_on=form.talk_on.data,
            talk_summary=form.talk_summary.data,
        )
    except PlanError as exc:
        return refuse_error(exc, plan)
    return _done(plan, _("The talk is saved."), "talk")


@bp.route("/<int:plan_id>/maal", methods=["POST"])
@login_required
def add_goal(plan_id: int):
    plan = plan_or_404(plan_id)
    form = _goal_form(plan, framework.get_scale(), formdata=request.form)
    if not form.validate_on_submit():
        return render_detail(plan, 400, goal_form=form)
    try:
        services.add_goal(
            current_user,
            plan,
            competence_id=_int(form.competence_id.data),
            target_level=_int(form.target_level.data),
            text=form.text.data or "",
        )
    except PlanError as exc:
        if exc.field is None or exc.code == "not_allowed":
            return refuse_error(exc, plan)
        db.session.rollback()
        plan = plan_or_404(plan_id)
        exc.add_to(form)
        return render_detail(plan, 400, goal_form=form)
    return _done(plan, _("The goal is added."), "goals")


@bp.route("/<int:plan_id>/maal/fra-gab", methods=["POST"])
@login_required
def goal_from_gap(plan_id: int):
    plan = plan_or_404(plan_id)
    form = GapGoalForm()
    competence_id = _int(form.competence_id.data)
    if not form.validate_on_submit() or competence_id is None:
        return refuse(_("Choose one of the gaps."), 400, plan)
    try:
        services.add_goal_from_gap(current_user, plan, competence_id)
    except PlanError as exc:
        return refuse_error(exc, plan)
    return _done(plan, _("The gap is a goal of your plan."), "goals")


@bp.route("/<int:plan_id>/maal/<int:goal_id>/fjern", methods=["POST"])
@login_required
def remove_goal(plan_id: int, goal_id: int):
    plan = plan_or_404(plan_id)
    goal = db.get_or_404(PlanGoal, goal_id)
    if goal.plan_id != plan.id or not ActionForm().validate_on_submit():
        return refuse(_("That goal is not in this plan."), 404, plan)
    try:
        services.remove_goal(current_user, plan, goal)
    except PlanError as exc:
        return refuse_error(exc, plan)
    return _done(plan, _("The goal is removed."), "goals")


@bp.route("/<int:plan_id>/aktiviteter", methods=["POST"])
@login_required
def add_activity(plan_id: int):
    plan = plan_or_404(plan_id)
    colleagues = page_data.colleagues_of(plan.owner) if plan.owner else []
    form = _activity_form(plan, colleagues, formdata=request.form)
    if not form.validate_on_submit():
        return _activity_form_again(plan, form)
    colleague = db.session.get(User, _int(form.colleague_id.data) or 0)
    try:
        services.add_activity(
            current_user,
            plan,
            kind=form.kind.member,
            title=form.title.data,
            description=form.description.data or "",
            cost=form.cost.data if form.cost.data is not None else Decimal(0),
            funding=form.funding.member,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            goal_id=_int(form.goal_id.data),
            colleague=colleague,
            participants=(form.participants.data if "participants" in form else None)
            or 1,
        )
    except PlanError as exc:
        if exc.code == "not_allowed" or exc.field is None:
            return refuse_error(exc, plan)
        db.session.rollback()
        plan = plan_or_404(plan_id)
        exc.add_to(form)
        return _activity_form_again(plan, form)
    return _added(plan, _("The activity is added."))


@bp.route("/<int:plan_id>/aktiviteter/hold", methods=["POST"])
@login_required
def add_session(plan_id: int):
    plan = plan_or_404(plan_id)
    form = SessionActivityForm()
    course_session = db.session.get(
        CourseSession, _int(form.course_session_id.data) or 0
    )
    if not form.validate_on_submit() or course_session is None:
        return refuse(_("Choose one of the suggested course sessions."), 400, plan)
    try:
        services.add_session(
            current_user, plan, course_session, funding=form.funding.member
        )
    except (PlanError, BookingError) as exc:
        return refuse_error(exc, plan)
    return _added(plan, _("The course is added to your plan."))


def _activity_of(plan: Plan, activity_id: int) -> PlanActivity | None:
    """The plan's activity with this id (already loaded with the plan), or None:
    an unknown id and another plan's activity are both not found here."""
    return next((a for a in plan.activities if a.id == activity_id), None)


@bp.route("/<int:plan_id>/aktiviteter/<int:activity_id>/fjern")
@login_required
def remove_activity(plan_id: int, activity_id: int):
    """Ask before an activity leaves the plan (a GET: nothing changes); the plan's
    page has the same words in a dialog."""
    plan = plan_or_404(plan_id)
    activity = _activity_of(plan, activity_id)
    if activity is None:
        return refuse(_("That activity is not in this plan."), 404, plan, undo=False)
    if not can_edit_plan(current_user, plan):
        return refuse(str(PlanError("not_allowed")), 403, plan, undo=False)
    return render_template(
        "learning/plans/remove_activity.html", plan=plan, activity=activity
    )


@bp.route("/<int:plan_id>/aktiviteter/<int:activity_id>/<step>", methods=["POST"])
@login_required
def activity_step(plan_id: int, activity_id: int, step: str):
    plan = plan_or_404(plan_id)
    activity = _activity_of(plan, activity_id)
    act = {"fjern": services.remove_activity, "udfoert": services.complete_activity}
    if step not in act or activity is None:
        return refuse(_("That activity is not in this plan."), 404, plan)
    require(ActionForm().validate_on_submit())
    try:
        act[step](current_user, plan, activity)
    except (PlanError, BookingError) as exc:
        return refuse_error(exc, plan)
    message = (
        _("The activity is removed.")
        if step == "fjern"
        else _("The activity is marked as done.")
    )
    return _done(plan, message, "activities")
