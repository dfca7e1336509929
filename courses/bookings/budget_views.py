"""Budgets: the coordinator sets them per unit and year; a page per unit shows
budget, committed spend (approved bookings' prices), what remains, the requests
awaiting approval and what would remain if they were all approved."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core import clock
from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from core.permissions import require
from courses.bookings import budgets
from courses.bookings.forms import BudgetForm
from courses.bookings.models import Booking
from courses.bookings.permissions import (
    can_manage_budgets,
    can_set_budget,
    can_view_budget,
)
from courses.sessions.models import CourseSession


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.today().year


def _units_for(user) -> list[OrgUnit]:
    """The jobcentre and its teams (all units for an admin)."""
    query = sa.select(OrgUnit).where(
        OrgUnit.kind.in_([UnitKind.jobcentre, UnitKind.team])
    )
    if not user.is_admin:
        jobcentre_id = user.team.parent_id if user.team is not None else None
        query = query.where(
            sa.or_(OrgUnit.id == jobcentre_id, OrgUnit.parent_id == jobcentre_id)
        )
    return list(db.session.scalars(query.order_by(OrgUnit.kind, OrgUnit.name)))


@login_required
def budget_index():
    require(can_manage_budgets(current_user))
    year = _year()
    units = _units_for(current_user)
    form = BudgetForm(year=year)
    form.unit.choices = [(u.id, u.name) for u in units]
    if form.validate_on_submit():
        unit = db.get_or_404(OrgUnit, form.unit.data)
        require(can_set_budget(current_user, unit))
        budgets.set_budget(current_user, unit, form.year.data, form.amount.data)
        db.session.commit()
        flash(
            _(
                "The budget for %(unit)s in %(year)s is saved.",
                unit=unit.name,
                year=form.year.data,
            ),
            "success",
        )
        return redirect(url_for("courses.bookings.budget_index", year=form.year.data))
    figures = budgets.summaries(units, year)
    rows = [(unit, figures[unit.id]) for unit in units]
    return render_template(
        "courses/bookings/budgets.html", rows=rows, year=year, form=form
    ), 400 if form.errors else 200


@login_required
def budget_unit(unit_id: int):
    unit = db.get_or_404(OrgUnit, unit_id)
    require(can_view_budget(current_user, unit))
    year = _year()
    charged = _charged(budgets.team_ids(unit), year)
    pending = [b for b in charged if budgets.counts_as_pending(b)]
    return render_template(
        "courses/bookings/budget_unit.html",
        unit=unit,
        year=year,
        figures=budgets.figures_of(budgets.amount_of(unit, year), charged),
        bookings=[b for b in charged if not budgets.counts_as_pending(b)],
        pending=pending,
    )


def _charged(teams: list[int], year: int) -> list[Booking]:
    """The bookings the teams' budget counts, approved and requested, with what
    the tables show, in the order they were made; one query (the figures are
    summed from them)."""
    if not teams:
        return []
    return list(
        db.session.scalars(
            budgets.charged_query(teams, year)
            .options(
                joinedload(Booking.user).joinedload(User.team),
                joinedload(Booking.user).lazyload(User.role_rows),
                joinedload(Booking.course_session).joinedload(CourseSession.course),
            )
            .order_by(Booking.booked_at, Booking.id)
        )
    )


def register(bp: Blueprint) -> None:
    """Add these pages to the bookings blueprint (called by the area's init_app)."""
    bp.add_url_rule("/budgetter/", methods=["GET", "POST"], view_func=budget_index)
    bp.add_url_rule("/budgetter/<int:unit_id>", view_func=budget_unit)
