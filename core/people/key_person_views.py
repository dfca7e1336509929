"""Key persons by jobcentre (seed 000: each jobcentre appoints its own): the
jobcentre's page, where its coordinator appoints, hands over and relieves them,
and the overview of a region's jobcentres with the areas that lack one."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core.db import db
from core.people.forms import AREA_LABELS, AppointForm, EndForm, ReplaceForm
from core.people.models import KeyPerson, OrgUnit, Role, SpecialistArea, UnitKind, User
from core.people.specialists import (
    KeyPersonError,
    appoint_key_person,
    appointments,
    can_overview_key_persons,
    can_view_key_persons,
    end_key_person,
    may_appoint,
    overview_region_ids,
    replace_key_person,
)
from core.permissions import require

bp = Blueprint("key_persons", __name__, url_prefix="/noeglepersoner")


def _jobcentre_or_404(jobcentre_id: int) -> OrgUnit:
    unit = db.get_or_404(OrgUnit, jobcentre_id)
    if unit.kind is not UnitKind.jobcentre:
        abort(404)
    return unit


def _staff(jobcentre: OrgUnit) -> list[User]:
    """The jobcentre's active employees: who can be appointed."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(OrgUnit, OrgUnit.id == User.team_id)
            .where(
                OrgUnit.parent_id == jobcentre.id,
                User.active.is_(True),
                User.role_rows.any(role=Role.employee),
            )
            .options(joinedload(User.team))
            .order_by(User.name)
        )
    )


def _render_jobcentre(jobcentre: OrgUnit, form: AppointForm, status: int = 200):
    by_area = appointments([jobcentre])[jobcentre.id]
    return render_template(
        "core/key_persons/jobcentre.html",
        jobcentre=jobcentre,
        by_area=by_area,
        lacking=[str(AREA_LABELS[a]) for a, people in by_area.items() if not people],
        area_labels=AREA_LABELS,
        form=form,
        may_appoint=may_appoint(current_user, jobcentre),
        may_overview=can_overview_key_persons(current_user),
    ), status


@bp.route("/jobcenter/<int:jobcentre_id>")
@login_required
def jobcentre(jobcentre_id: int):
    unit = _jobcentre_or_404(jobcentre_id)
    require(can_view_key_persons(current_user, unit))
    people = _staff(unit) if may_appoint(current_user, unit) else ()
    return _render_jobcentre(unit, AppointForm(people=people))


@bp.route("/jobcenter/<int:jobcentre_id>/udpeg", methods=["POST"])
@login_required
def appoint(jobcentre_id: int):
    unit = _jobcentre_or_404(jobcentre_id)
    require(may_appoint(current_user, unit))
    form = AppointForm(people=_staff(unit))
    if form.validate_on_submit():
        person = db.session.get(User, form.person_id.data)
        try:
            appoint_key_person(current_user, person, form.area.member, unit)
        except KeyPersonError as exc:
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is now key person for %(area)s.",
                    name=person.name,
                    area=AREA_LABELS[form.area.member],
                ),
                "success",
            )
            return redirect(url_for(".jobcentre", jobcentre_id=unit.id))
    return _render_jobcentre(unit, form, 400)


@bp.route("/<int:key_person_id>/afloes", methods=["GET", "POST"])
@login_required
def replace(key_person_id: int):
    key_person = db.first_or_404(
        sa.select(KeyPerson)
        .where(KeyPerson.id == key_person_id)
        .options(joinedload(KeyPerson.jobcentre), joinedload(KeyPerson.user))
    )
    unit = key_person.jobcentre
    require(may_appoint(current_user, unit))
    people = [p for p in _staff(unit) if p.id != key_person.user_id]
    form = ReplaceForm(people=people)
    if form.validate_on_submit():
        person = db.session.get(User, form.person_id.data)
        try:
            replace_key_person(current_user, key_person, person)
        except KeyPersonError as exc:
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s has taken over as key person for %(area)s.",
                    name=person.name,
                    area=AREA_LABELS[key_person.area],
                ),
                "success",
            )
            return redirect(url_for(".jobcentre", jobcentre_id=unit.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "core/key_persons/replace.html",
        key_person=key_person,
        form=form,
        area_labels=AREA_LABELS,
    ), status


@bp.route("/<int:key_person_id>/fratraed", methods=["POST"])
@login_required
def end(key_person_id: int):
    key_person = db.get_or_404(KeyPerson, key_person_id)
    unit = key_person.jobcentre
    require(may_appoint(current_user, unit))
    if not EndForm().validate_on_submit():
        abort(
            400,
            description=_("The form was incomplete. Reload the page and try again."),
        )
    name, area = key_person.user.name, AREA_LABELS[key_person.area]
    end_key_person(current_user, key_person)
    db.session.commit()
    flash(
        _("%(name)s is no longer key person for %(area)s.", name=name, area=area),
        "success",
    )
    return redirect(url_for(".jobcentre", jobcentre_id=unit.id))


@bp.route("/")
@login_required
def overview():
    require(can_overview_key_persons(current_user))
    lacking = request.args.get("mangler", "")
    if lacking and lacking not in SpecialistArea.__members__:
        abort(400, description=_("Choose one of the four specialist areas."))
    area = SpecialistArea(lacking) if lacking else None
    regions = overview_region_ids(current_user)
    stmt = (
        sa.select(OrgUnit)
        .where(OrgUnit.kind == UnitKind.jobcentre)
        .options(joinedload(OrgUnit.parent))
        .order_by(OrgUnit.name)
    )
    if regions is not None:
        stmt = stmt.where(OrgUnit.parent_id.in_(regions))
    jobcentres = list(db.session.scalars(stmt))
    found = appointments(jobcentres)
    gaps = {
        unit_id: [a for a, people in areas.items() if not people]
        for unit_id, areas in found.items()
    }
    by_region: dict[OrgUnit, list[OrgUnit]] = {}
    for unit in jobcentres:
        if area is None or area in gaps[unit.id]:
            by_region.setdefault(unit.parent, []).append(unit)
    return render_template(
        "core/key_persons/overview.html",
        by_region=sorted(by_region.items(), key=lambda item: item[0].name),
        gaps=gaps,
        found=found,
        area=area,
        lacking_count={a: sum(a in g for g in gaps.values()) for a in SpecialistArea},
        total=len(jobcentres),
        area_labels=AREA_LABELS,
        may_view=lambda unit: can_view_key_persons(current_user, unit),
    )
