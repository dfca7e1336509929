"""Unit plans (seed 002): a jobcentre's or a team's plan, such as a regional
advisory project: the list, a new plan, its aims and strategy, and the closing
status report."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core.db import db
from core.people.advisers import advised_region_ids
from core.people.models import OrgUnit, UnitKind
from core.permissions import require
from learning.plans import services
from learning.plans.errors import PlanError
from learning.plans.forms import StatusReportForm, UnitPlanForm
from learning.plans.models import Plan, PlanKind
from learning.plans.permissions import can_use_unit_plans
from learning.plans.views import (
    back_to,
    bp,
    plan_or_404,
    refuse_error,
    render_detail,
    unit_form,
)


def _jobcentres() -> list[OrgUnit]:
    """The jobcentres the user works for: their own (coordinators), those of the
    regions they advise, or all (admins)."""
    query = sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.jobcentre)
    if not current_user.is_admin:
        own = current_user.team.parent_id if current_user.team else None
        regions = advised_region_ids(current_user)
        query = query.where(sa.or_(OrgUnit.id == own, OrgUnit.parent_id.in_(regions)))
    return list(db.session.scalars(query.order_by(OrgUnit.name)))


def _units(jobcentres: list[OrgUnit]) -> list[OrgUnit]:
    """The jobcentres and their teams, in that order."""
    ids = [j.id for j in jobcentres]
    teams = db.session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.parent_id.in_(ids), OrgUnit.kind == UnitKind.team)
        .order_by(OrgUnit.name)
    ).all()
    by_parent: dict[int, list[OrgUnit]] = {}
    for team in teams:
        by_parent.setdefault(team.parent_id, []).append(team)
    return [u for j in jobcentres for u in (j, *by_parent.get(j.id, []))]


@bp.route("/enheder")
@login_required
def units():
    require(can_use_unit_plans(current_user))
    units = _units(_jobcentres())
    plans = db.session.scalars(
        sa.select(Plan)
        .where(Plan.kind == PlanKind.unit, Plan.unit_id.in_([u.id for u in units]))
        .options(joinedload(Plan.unit))
        .order_by(Plan.starts_on.desc(), Plan.id.desc())
    ).all()
    return render_template("learning/plans/units.html", plans=plans)


@bp.route("/enheder/ny", methods=["GET", "POST"])
@login_required
def new_unit_plan():
    require(can_use_unit_plans(current_user))
    units = {str(u.id): u for u in _units(_jobcentres())}
    form = UnitPlanForm()
    form.unit_id.choices = [
        (key, u.name if u.kind is UnitKind.jobcentre else f"– {u.name}")
        for key, u in units.items()
    ]
    if form.validate_on_submit():
        try:
            plan = services.create_unit_plan(
                current_user,
                units[form.unit_id.data],
                title=form.title.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                aims=form.aims.data,
                strategy=form.strategy.data,
                responsible=form.responsible.data,
            )
        except PlanError as exc:
            if exc.code == "not_allowed":
                return refuse_error(exc)
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(_("The unit plan is created."), "success")
            return back_to(plan)
    status = 400 if form.is_submitted() else 200
    return render_template("learning/plans/new_unit.html", form=form), status


@bp.route("/<int:plan_id>/enhed", methods=["POST"])
@login_required
def unit_texts(plan_id: int):
    plan = plan_or_404(plan_id)
    form = unit_form(plan)
    if not form.validate_on_submit():
        return render_detail(plan, 400, unit_form=form)
    try:
        services.save_texts(
            current_user,
            plan,
            title=form.title.data,
            aims=form.aims.data,
            strategy=form.strategy.data,
            responsible=form.responsible.data,
        )
        services.set_period(current_user, plan, form.starts_on.data, form.ends_on.data)
    except PlanError as exc:
        return refuse_error(exc, plan)
    db.session.commit()
    flash(_("The plan is saved."), "success")
    return back_to(plan)


@bp.route("/<int:plan_id>/statusrapport", methods=["POST"])
@login_required
def status_report(plan_id: int):
    plan = plan_or_404(plan_id)
    form = StatusReportForm()
    if not form.validate_on_submit():
        return render_detail(plan, 400, report_form=form)
    try:
        services.save_texts(
            current_user,
            plan,
            status_report=form.status_report.data,
            aims_met=form.aims_met.member,
        )
    except PlanError as exc:
        return refuse_error(exc, plan)
    db.session.commit()
    flash(_("The closing status report is saved."), "success")
    return redirect(url_for("learning.plans.detail", plan_id=plan.id))
