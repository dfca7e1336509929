"""Learning you lead ("Læring du står for"): the activities of colleagues'
approved plans that name you, and your sign-off of one, which completes it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.db import db
from core.permissions import require
from learning.plans import colleague_learning
from learning.plans.errors import PlanError
from learning.plans.forms import SignOffForm
from learning.plans.permissions import can_use_plans
from learning.plans.views import bp, refuse, refuse_error


@bp.route("/kollegalaering")
@login_required
def led_by_me():
    require(can_use_plans(current_user))
    return render_template(
        "learning/plans/led_by_me.html",
        activities=colleague_learning.led_by(current_user),
        form=SignOffForm(),
    )


@bp.route("/kollegalaering/<int:activity_id>/godkend", methods=["POST"])
@login_required
def sign_off(activity_id: int):
    require(can_use_plans(current_user))
    activity = colleague_learning.find_led(current_user, activity_id)
    if activity is None:  # not named in it, or no such activity: nothing to see
        abort(404)
    form = SignOffForm()
    if not form.validate_on_submit():
        if form.note.errors:
            return refuse(form.note.errors[0], 400)
        return refuse(_("The form has expired. Reload the page and try again."), 400)
    try:
        colleague_learning.sign_off(current_user, activity, note=form.note.data or "")
    except PlanError as exc:
        return refuse_error(exc)
    db.session.commit()
    flash(
        _(
            "You have signed off %(title)s; %(name)s is told.",
            title=activity.title,
            name=activity.plan.owner.name,
        ),
        "success",
    )
    return redirect(url_for("learning.plans.led_by_me"))
