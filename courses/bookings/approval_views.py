"""The manager's approval inbox: requests with price and the team's budget figures,
approve or reject with a comment, and exceptions from prerequisites."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core.db import db
from core.people.models import User
from core.people.services import managed_team_ids
from core.permissions import require
from courses.bookings import budgets, services
from courses.bookings.forms import DecisionForm, WaiverForm
from courses.bookings.models import Booking, BookingStatus
from courses.bookings.notices import status_label
from courses.bookings.permissions import can_decide_for, can_use_inbox
from courses.bookings.views import carry_out, pass_on_due_offers_before_acting
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession


def _requests_for(user: User) -> list[Booking]:
    query = (
        sa.select(Booking)
        .where(Booking.status == BookingStatus.requested)
        .options(
            joinedload(Booking.user).joinedload(User.team),
            joinedload(Booking.course_session).joinedload(CourseSession.course),
        )
        .order_by(Booking.booked_at, Booking.id)
    )
    if not user.is_admin:
        # Through the team's people (ix_bookings_user_status): SQLite would
        # otherwise read every requested booking and look up each person.
        people = sa.select(User.id).where(User.team_id.in_(managed_team_ids(user)))
        query = query.where(Booking.user_id.in_(people), Booking.user_id != user.id)
    return list(db.session.scalars(query))


@login_required
def inbox():
    require(can_use_inbox(current_user))
    return _inbox(DecisionForm())


def _inbox(form: DecisionForm, *, error_for: int | None = None, status: int = 200):
    requests = _requests_for(current_user)
    figures = budgets.summaries_for_teams((b.team_id, b.budget_year) for b in requests)
    return render_template(
        "courses/bookings/inbox.html",
        requests=requests,
        figures=figures,
        form=form,
        error_for=error_for,
    ), status


@login_required
def decide(booking_id: int, decision: str):
    pass_on_due_offers_before_acting()  # an approval meets the seats the job frees
    booking = db.session.get(Booking, booking_id) or abort(404)
    require(can_decide_for(current_user, booking.user))
    form = DecisionForm()
    approve = decision == "godkend"
    valid = form.validate_on_submit()
    if valid and not approve and not (form.comment.data or "").strip():
        form.comment.errors = [_("Write a comment, so the employee knows why.")]
        valid = False
    if not valid:
        db.session.rollback()
        return _inbox(form, error_for=booking.id, status=400)
    if booking.status is not BookingStatus.requested and booking.decided_by_id:
        flash(
            _(
                "That was already done: the booking is %(status)s.",
                status=status_label(booking.status),
            ),
            "info",
        )
        return redirect(url_for("courses.bookings.inbox"))
    operation = services.approve if approve else services.reject
    return carry_out(
        operation,
        booking,
        url_for("courses.bookings.inbox"),
        comment=form.comment.data or "",
    )


def _waiver_choices(form: WaiverForm) -> None:
    people = (
        db.session.scalars(
            sa.select(User)
            .where(
                User.team_id.in_(managed_team_ids(current_user)),
                User.id != current_user.id,
            )
            .order_by(User.name)
        )
        if not current_user.is_admin
        else db.session.scalars(sa.select(User).order_by(User.name))
    )
    form.person.choices = [(u.id, u.name) for u in people]
    courses = db.session.scalars(
        sa.select(Course)
        .where(Course.prerequisites.any(), Course.archived_at.is_(None))
        .order_by(Course.title)
    )
    form.course.choices = [(c.id, c.title) for c in courses]


@login_required
def waiver():
    require(can_use_inbox(current_user))
    form = WaiverForm()
    _waiver_choices(form)
    if form.validate_on_submit():
        person = db.get_or_404(User, form.person.data)
        course = db.get_or_404(Course, form.course.data)
        require(can_decide_for(current_user, person))
        services.grant_waiver(current_user, person, course, reason=form.reason.data)
        db.session.commit()
        flash(
            _(
                "%(person)s may now book %(course)s without the prerequisites.",
                person=person.name,
                course=course.title,
            ),
            "success",
        )
        return redirect(url_for("courses.bookings.inbox"))
    return render_template("courses/bookings/waiver.html", form=form), (
        400 if form.errors else 200
    )


def register(bp: Blueprint) -> None:
    """Add these pages to the bookings blueprint (called by the area's init_app)."""
    bp.add_url_rule("/tilmeldinger/godkendelser", view_func=inbox)
    bp.add_url_rule(
        "/tilmeldinger/<int:booking_id>/<any(godkend, afvis):decision>",
        methods=["POST"],
        view_func=decide,
    )
    bp.add_url_rule(
        "/tilmeldinger/undtagelser", methods=["GET", "POST"], view_func=waiver
    )
