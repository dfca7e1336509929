"""'Mine data': a person downloads everything the platform holds about them; an
administrator takes the same copy for a person, or erases a person."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.audit import record
from core.clock import local_now, now
from core.db import db
from core.forms import BaseForm
from core.people.models import User
from core.permissions import require
from core.personal_data import erasure, export
from core.personal_data.errors import PersonalDataError
from core.personal_data.forms import EraseForm
from core.personal_data.inventory import inventory
from core.personal_data.permissions import can_copy_data_of, can_erase

bp = Blueprint("personal_data", __name__)


def _copy(person: User) -> Response:
    """The zip of `person`'s data; the audit trail notes who took it."""
    sections = export.collect(person)
    body = export.as_zip(person, sections, now())
    record(current_user._get_current_object(), "personal_data.copied", person)
    db.session.commit()
    name = f"mine-data-{local_now().date().isoformat()}.zip"
    return Response(
        body,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _check_form() -> None:
    if not BaseForm().validate_on_submit():
        abort(
            400, description=_("The form has expired. Reload the page and try again.")
        )


@bp.route("/mine-data", methods=["GET", "POST"])
@login_required
def mine():
    if request.method == "POST":
        _check_form()
        return _copy(current_user._get_current_object())
    labels = [holding.rule.label for holding in inventory().holdings]
    return render_template("core/personal_data/mine.html", labels=labels)


@bp.route("/admin/brugere/<int:user_id>/persondata", methods=["POST"])
@login_required
def copy_for(user_id: int):
    """An administrator's copy for a person who asked (and may not sign in)."""
    person = db.get_or_404(User, user_id)
    require(can_copy_data_of(current_user, person))
    _check_form()
    return _copy(person)


@bp.route("/admin/brugere/<int:user_id>/slet", methods=["GET", "POST"])
@login_required
def erase(user_id: int):
    person = db.get_or_404(User, user_id)
    require(can_erase(current_user, person))
    form = EraseForm()
    erased = erasure.is_erased(person)
    if erased and request.method == "POST":
        form.form_errors.append(str(PersonalDataError("already_erased")))
    elif form.validate_on_submit():
        typed = form.email.data.strip().lower()
        try:
            if typed != person.email:
                raise PersonalDataError("not_confirmed", field="email")
            erasure.erase(current_user._get_current_object(), person)
        except PersonalDataError as exc:
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(
                _(
                    "The person's data is erased. The account is kept as "
                    "'Deleted user', without a way to sign in."
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "core/personal_data/erase.html",
        form=form,
        person=person,
        erased=erased,
        namesakes=0 if erased else erasure.namesakes(person),
    ), status
