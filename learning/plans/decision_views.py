"""Moving a plan on: submit, take back, approve with its bookings in one step,
return with a comment, complete; and the printed plan."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
from core.permissions import require
from courses.bookings import services as bookings
from courses.bookings.errors import BookingError
from learning.plans import decisions, figures, page_data
from learning.plans.errors import PlanError
from learning.plans.forms import ActionForm, DecisionForm
from learning.plans.permissions import can_make
from learning.plans.views import back_to, bp, plan_or_404, refuse, refuse_error

_DONE = {
    "submit": lambda: _("The plan is submitted to your manager."),
    "withdraw": lambda: _("The plan is taken back; you can change it again."),
    "complete": lambda: _("The plan is completed."),
}
_STEPS = {
    "indsend": ("submit", decisions.submit),
    "traek-tilbage": ("withdraw", decisions.withdraw),
    "afslut": ("complete", decisions.complete),
}


@bp.route(
    "/<int:plan_id>/<any(indsend, 'traek-tilbage', afslut):step>", methods=["POST"]
)
@login_required
def step(plan_id: int, step: str):
    plan = plan_or_404(plan_id)
    name, act = _STEPS[step]
    if not ActionForm().validate_on_submit():
        return refuse(_("The form has expired. Reload the page and try again."), 400)
    try:
        act(current_user, plan)
    except (PlanError, BookingError) as exc:
        return refuse_error(exc, plan)
    db.session.commit()
    flash(_DONE[name](), "success")
    return back_to(plan)


@bp.route("/<int:plan_id>/godkend", methods=["GET", "POST"])
@login_required
def review(plan_id: int):
    """The manager's decision: the plan, its cost against the team's budget and
    the Kompetencefond's share; approve (with the bookings) or return."""
    plan = plan_or_404(plan_id)
    require(can_make(current_user, plan, "approve"))
    form = DecisionForm()
    if form.validate_on_submit():
        decide = decisions.approve if form.approve.data else decisions.return_plan
        try:
            decide(current_user, plan, comment=form.comment.data or "")
        except (PlanError, BookingError) as exc:
            if exc.code == "return_needs_comment":
                db.session.rollback()
                plan = plan_or_404(plan_id)
                exc.add_to(form)
                return _review_page(plan, form, 400)
            return refuse_error(exc, plan)
        db.session.commit()
        if form.approve.data:
            flash(_("The plan and its bookings are approved."), "success")
        else:
            flash(
                _("The plan is returned to %(name)s.", name=plan.owner.name), "success"
            )
        return redirect(url_for("learning.plans.inbox"))
    return _review_page(plan, form, 400 if form.is_submitted() else 200)


def _review_page(plan, form, status: int):
    data = page_data.detail(plan, gaps=False)
    return render_template(
        "learning/plans/review.html", plan=plan, data=data, form=form
    ), status


@bp.route("/<int:plan_id>/udskriv")
@login_required
def print_plan(plan_id: int):
    """The written development plan a Kompetencefond application needs."""
    plan = plan_or_404(plan_id)
    return render_template(
        "learning/plans/print.html",
        plan=plan,
        figures=figures.for_plans([plan], with_budget=False)[plan.id],
        positions=bookings.waitlist_positions(page_data.bookings_of([plan])),
    )
