"""Sparring with colleagues: who could help with each gap, asking them, the
requests received and sent with their answers, and the opt-out."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.db import db
from core.people.models import User
from core.permissions import require
from learning.competences import services as framework
from learning.competences.models import Competence
from learning.internal import mentoring
from learning.internal.errors import MentoringError
from learning.internal.forms import AnswerForm, AskForm, OptOutForm
from learning.internal.models import MentorRequest
from learning.internal.permissions import can_use_internal_learning, can_view_request

bp = Blueprint("mentoring", __name__, url_prefix="/forslag/kolleger")
AREA_LABELS = {
    "ethnic_minorities": _l("Key person for ethnic minorities"),
    "gender_equality": _l("Key person for gender equality"),
    "disability": _l("Key person for disability"),
    "eures": _l("Key person for EURES"),
}


def _page(status: int = 200, *, ask_form: AskForm | None = None):
    gaps, opted_out = mentoring.mentors_and_opt_out(current_user)
    opt_out = OptOutForm(opted_out=opted_out)
    return render_template(
        "learning/mentoring/colleagues.html",
        gaps=gaps,
        scale=framework.get_scale(),
        ask_form=ask_form or AskForm(formdata=None),
        opt_out_form=opt_out,
        area_labels=AREA_LABELS,
    ), status


@bp.route("")
@login_required
def colleagues():
    require(can_use_internal_learning(current_user))
    return _page()


def _whole(text: str | None) -> int:
    try:
        number = int(text or "")
    except ValueError:
        abort(
            400,
            description=_("The form was incomplete. Reload the page and try again."),
        )
    if not 1 <= number <= 2**31 - 1:
        abort(404)
    return number


@bp.route("/spoerg", methods=["POST"])
@login_required
def ask():
    require(can_use_internal_learning(current_user))
    form = AskForm()
    if not form.validate_on_submit():
        return _page(400, ask_form=form)
    mentor = db.get_or_404(User, _whole(form.mentor_id.data))
    competence = db.get_or_404(Competence, _whole(form.competence_id.data))
    try:
        mentoring.ask(current_user, mentor, competence, message=form.message.data)
    except MentoringError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _page(409 if exc.code == "already_asked" else 400, ask_form=form)
    db.session.commit()
    flash(
        _("%(name)s has been asked and will answer you here.", name=mentor.name),
        "success",
    )
    return redirect(url_for("learning.mentoring.requests"))


@bp.route("/indstilling", methods=["POST"])
@login_required
def settings():
    require(can_use_internal_learning(current_user))
    form = OptOutForm()
    if not form.validate_on_submit():
        abort(
            400,
            description=_("The form was incomplete. Reload the page and try again."),
        )
    mentoring.set_opt_out(current_user, bool(form.opted_out.data))
    db.session.commit()
    if form.opted_out.data:
        flash(_("You are no longer suggested as a sparring partner."), "success")
    else:
        flash(_("Colleagues can find you as a sparring partner again."), "success")
    return redirect(url_for("learning.mentoring.colleagues"))


@bp.route("/anmodninger")
@login_required
def requests():
    require(can_use_internal_learning(current_user))
    received, sent = mentoring.requests_of(current_user)
    return render_template(
        "learning/mentoring/requests.html",
        received=received,
        sent=sent,
        form=AnswerForm(formdata=None),
    )


@bp.route(
    "/anmodninger/<int:request_id>/<any(accept, decline, withdraw):step>",
    methods=["POST"],
)
@login_required
def answer(request_id: int, step: str):
    request_ = db.get_or_404(MentorRequest, request_id)
    require(can_view_request(current_user, request_))
    require(mentoring.may(step, current_user, request_))
    form = AnswerForm()
    if not form.validate_on_submit():
        received, sent = mentoring.requests_of(current_user)
        return render_template(
            "learning/mentoring/requests.html", received=received, sent=sent, form=form
        ), 400
    try:
        mentoring.answer(current_user, request_, step, reply=form.reply.data)
    except MentoringError as exc:
        db.session.rollback()
        return render_template("learning/internal/refused.html", message=str(exc)), 409
    db.session.commit()
    flash(_("Your answer is sent."), "success")
    return redirect(url_for("learning.mentoring.requests"))
