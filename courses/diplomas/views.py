"""Diploma programmes for everyone, and a person's progress page."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.db import db
from core.people.models import User
from core.permissions import require
from core.templating import long_date
from courses.diplomas import services
from courses.diplomas.errors import DiplomaError
from courses.diplomas.forms import StartForm, StatusForm
from courses.diplomas.models import Diploma, DiplomaModule, ModuleKind, ModuleStatus
from courses.diplomas.permissions import (
    allowed_statuses,
    can_view_diplomas,
    can_view_progress,
)

bp = Blueprint("diplomas", __name__, url_prefix="/diplomer")

KIND_LABELS = {
    ModuleKind.mandatory: _l("Mandatory"),
    ModuleKind.elective: _l("Elective"),
    ModuleKind.final_project: _l("Final project"),
}
STATUS_LABELS = {
    ModuleStatus.passed: _l("Passed"),
    ModuleStatus.accredited: _l("Accredited (prior learning)"),
    ModuleStatus.in_progress: _l("In progress"),
    ModuleStatus.planned: _l("Planned"),
    ModuleStatus.not_relevant: _l("Not relevant"),
    ModuleStatus.failed: _l("Failed"),
}
# Colours with at least 3:1 contrast to white, as WCAG asks of graphics.
COLOURS = {
    ModuleStatus.passed: "#00703c",
    ModuleStatus.accredited: "#0059b3",
    ModuleStatus.in_progress: "#b35c00",
    ModuleStatus.planned: "#6f42c1",
}
BAR_WIDTH = 600


@dataclass
class Segment:
    status: ModuleStatus | None
    label: str
    ects: Decimal
    x: float
    width: float
    colour: str


def segments(progress: services.Progress) -> list[Segment]:
    """The progress bar's parts, left to right; the rest of the total is grey."""
    total = max(Decimal(progress.diploma.total_ects), Decimal(1))
    parts, x = [], 0.0
    for status, colour in COLOURS.items():
        ects = progress.ects[status]
        width = min(float(ects / total) * BAR_WIDTH, BAR_WIDTH - x)
        parts.append(
            Segment(status, str(STATUS_LABELS[status]), ects, x, width, colour)
        )
        x += width
    rest = max(Decimal(0), total - sum((p.ects for p in parts), Decimal(0)))
    label = _("Not yet planned")
    parts.append(Segment(None, label, rest, x, BAR_WIDTH - x, "#d6d6d6"))
    return parts


def rule_text(rule: services.Rule) -> str:
    p = rule.params
    if rule.code == "total":
        return _(
            "%(earned)s of %(total)s ECTS earned.",
            earned=format_decimal(p["earned"]),
            total=format_decimal(p["total"]),
        )
    if rule.code == "mandatory":
        if rule.met:
            return _("All mandatory modules are passed or accredited.")
        if rule.state == services.MISSED:
            return _(
                "%(count)d mandatory modules were not passed in time.",
                count=p["count"],
            )
        return _("%(count)d mandatory modules are not yet passed.", count=p["count"])
    if rule.code == "final_project":
        return _(
            "The final project (%(ects)s ECTS) is taken last, after all other modules.",
            ects=format_decimal(p["ects"]),
        )
    if rule.state == services.NO_START:
        return _(
            "The start date is missing, so the rule that the diploma is completed "
            "within %(years)d years of starting cannot be judged. Record the start "
            "date to see the deadline.",
            years=p["years"],
        )
    if rule.state == services.MISSED:
        return _(
            "The deadline was %(date)s: the diploma had to be completed within "
            "%(years)d years of starting.",
            date=long_date(p["deadline"]),
            years=p["years"],
        )
    if rule.met:
        return _("Completed within %(years)d years of starting.", years=p["years"])
    return _("Complete the diploma by %(date)s.", date=long_date(p["deadline"]))


# What the page says before each rule's text, by how the rule stands.
STATE_LABELS = {
    services.MET: _l("Met:"),
    services.OPEN: _l("Not yet met:"),
    services.NO_START: _l("Cannot be judged yet:"),
    services.MISSED: _l("Can no longer be met:"),
}


@bp.route("/")
@login_required
def index():
    require(can_view_diplomas(current_user))
    diplomas = db.session.scalars(sa.select(Diploma).order_by(Diploma.title)).all()
    return render_template("courses/diplomas/index.html", diplomas=diplomas)


@bp.route("/<int:diploma_id>")
@login_required
def detail(diploma_id: int):
    require(can_view_diplomas(current_user))
    diploma = services.load_diploma(diploma_id) or abort(404)
    return render_template(
        "courses/diplomas/detail.html",
        diploma=diploma,
        kind_labels=KIND_LABELS,
        team=services.team_members(current_user),
    )


@bp.route("/<int:diploma_id>/fremdrift", defaults={"user_id": None})
@bp.route("/<int:diploma_id>/fremdrift/<int:user_id>")
@login_required
def progress(diploma_id: int, user_id: int | None):
    diploma = services.load_diploma(diploma_id) or abort(404)
    person = db.get_or_404(User, user_id) if user_id else current_user
    require(can_view_progress(current_user, person))
    result = services.progress(person, diploma)
    allowed = allowed_statuses(current_user, person)
    return render_template(
        "courses/diplomas/progress.html",
        diploma=diploma,
        person=person,
        progress=result,
        segments=segments(result),
        rules=[(STATE_LABELS[rule.state], rule_text(rule)) for rule in result.rules],
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        choices=[(s, STATUS_LABELS[s]) for s in STATUS_LABELS if s in allowed],
        start_form=StartForm(),
        bar_width=BAR_WIDTH,
    )


def _back(diploma_id: int, person: User):
    user_id = None if person.id == current_user.id else person.id
    return redirect(url_for(".progress", diploma_id=diploma_id, user_id=user_id))


@bp.route("/moduler/<int:module_id>/status/<int:user_id>", methods=["POST"])
@login_required
def set_status(module_id: int, user_id: int):
    module = db.get_or_404(DiplomaModule, module_id)
    person = db.get_or_404(User, user_id)
    require(can_view_progress(current_user, person))
    form = StatusForm()
    form.status.choices = [s.value for s in ModuleStatus]
    if not form.validate_on_submit():
        abort(400, description=_("Choose a status from the list."))
    try:
        services.set_status(
            current_user, person, module, ModuleStatus(form.status.data)
        )
    except DiplomaError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The status is saved."), "success")
    return _back(module.diploma_id, person)


@bp.route("/<int:diploma_id>/start/<int:user_id>", methods=["POST"])
@login_required
def start(diploma_id: int, user_id: int):
    diploma = db.get_or_404(Diploma, diploma_id)
    person = db.get_or_404(User, user_id)
    require(can_view_progress(current_user, person))
    form = StartForm()
    if not form.validate_on_submit():
        abort(400, description=_("Enter the start date as a date."))
    try:
        services.enrol(current_user, person, diploma, form.started_on.data)
    except DiplomaError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The start date is saved."), "success")
    return _back(diploma.id, person)
