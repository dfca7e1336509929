"""The coordinator's page per course: which competences it develops, to which level."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core.db import db
from core.permissions import require
from courses.catalogue.models import Course
from learning.competences import services as framework
from learning.competences.models import Area, Competence
from learning.matching import links
from learning.matching.errors import LinkError
from learning.matching.forms import CourseCompetenceForm, RemoveForm
from learning.matching.permissions import can_maintain_course_links

bp = Blueprint("course_links", __name__, url_prefix="/kompetencer/kurser")


def _load(course_id: int) -> Course:
    course = db.get_or_404(Course, course_id, options=[joinedload(Course.provider)])
    require(can_maintain_course_links(current_user, course))
    return course


def _form(**kwargs) -> CourseCompetenceForm:
    competences = db.session.scalars(
        sa.select(Competence)
        .join(Competence.area)
        .options(joinedload(Competence.area))
        .where(Competence.retired.is_(False))
        .order_by(Area.code, Competence.code)
    ).all()
    return CourseCompetenceForm(
        competences=competences, scale=framework.get_scale(), **kwargs
    )


@bp.route("/<int:course_id>", methods=["GET", "POST"])
@login_required
def edit(course_id: int):
    course = _load(course_id)
    form = _form()
    if form.validate_on_submit():
        competence = db.session.get(Competence, form.competence_id.data)
        try:
            links.set_link(current_user, course, competence, form.level.data)
        except LinkError as exc:
            exc.add_to(form)
        else:
            db.session.commit()
            flash(_("The course's competences are saved."), "success")
            return redirect(url_for(".edit", course_id=course.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "learning/matching/course_links.html",
        course=course,
        links=links.links_for([course.id])[course.id],
        scale=framework.get_scale(),
        form=form,
        remove_form=RemoveForm(formdata=None),
    ), status


@bp.route("/<int:course_id>/fjern/<int:competence_id>", methods=["POST"])
@login_required
def remove(course_id: int, competence_id: int):
    """CSRFProtect checks the token of RemoveForm before the view runs."""
    course = _load(course_id)
    try:
        links.remove_link(current_user, course, competence_id)
    except LinkError as exc:
        abort(404, description=str(exc))
    db.session.commit()
    flash(_("The competence is removed from the course."), "success")
    return redirect(url_for(".edit", course_id=course.id))
