"""The provider's participant list with attendance (its own page, its CSV and its
section of the session's page); declared interest by jobcentre."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from core import clock
from core.db import db
from core.people.models import Role
from core.permissions import require
from core.tables import download
from core.urls import safe_next
from courses.bookings import interest, services
from courses.bookings.errors import BookingError
from courses.bookings.forms import ActionForm, AttendanceForm
from courses.bookings.models import Booking
from courses.bookings.notices import status_label
from courses.bookings.permissions import can_view_interest, can_view_participants
from courses.bookings.views import refuse
from courses.catalogue.models import Course
from courses.catalogue.permissions import provider_ids_of
from courses.sessions.models import CourseSession
from courses.sessions.timing import local


def participants_section(user, course_session: CourseSession) -> dict | None:
    """The participant list for the session's page (a core.registry.PageSection),
    in one query; None for those who may not see it."""
    if not can_view_participants(user, course_session):
        return None
    starts = course_session.starts_at
    return {
        "course_session": course_session,
        "participants": services.participants_of(course_session),
        # Attendance is recorded from the first course day (the guard
        # session_begun); before then the list says when instead of a form.
        "attendance_from": starts
        if starts is not None and clock.local_date(starts) > clock.today()
        else None,
    }


def _load_session(course_session_id: int) -> CourseSession:
    course_session = db.get_or_404(
        CourseSession,
        course_session_id,
        options=[joinedload(CourseSession.course)],  # the permission reads it
    )
    require(can_view_participants(current_user, course_session))
    return course_session


@login_required
def participants(course_session_id: int):
    course_session = _load_session(course_session_id)
    return render_template(
        "courses/bookings/participants.html",
        course_session=course_session,
        section=participants_section(current_user, course_session),
    )


@login_required
def participants_file(course_session_id: int, fmt: str):
    course_session = _load_session(course_session_id)
    columns = [_("Name"), _("E-mail"), _("Team"), _("Jobcentre"), _("Status")]
    rows = []
    for booking in services.participants_of(course_session):
        person, team = booking.user, booking.user.team
        rows.append(
            (
                person.name,
                person.email,
                team.name if team else "",
                team.parent.name if team and team.parent else "",
                status_label(booking.status),
                local(booking.booked_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    name = f"deltagere-hold-{course_session.id}"
    title = _("Participants")
    response = download(fmt, [*columns, _("Booked")], rows, name=name, title=title)
    return response or abort(404)


@login_required
def attendance(booking_id: int):
    booking = db.session.get(Booking, booking_id) or abort(404)
    require(can_view_participants(current_user, booking.course_session))
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose attended, did not show up or completed."))
    try:
        services.record_attendance(current_user, booking, form.outcome.data)
    except BookingError as exc:
        return refuse(exc, course_session=booking.course_session)
    db.session.commit()
    flash(
        _(
            "%(person)s: %(status)s.",
            person=booking.user.name,
            status=status_label(booking.status),
        ),
        "success",
    )
    back = url_for(
        "courses.bookings.participants", course_session_id=booking.course_session_id
    )
    return redirect(safe_next(request.form.get("next")) or back)


@login_required
def declare_interest(course_id: int):
    course = db.get_or_404(Course, course_id)
    if not course.published:  # a draft is not there for anyone to be interested in
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(
            400,
            description=_("The form was incomplete. Reload the page and try again."),
        )
    withdraw = request.form.get("withdraw") == "1"
    try:
        if withdraw:
            interest.withdraw(current_user, course)
        else:
            interest.declare(current_user, course)
    except BookingError as exc:
        return refuse(exc)
    db.session.commit()
    flash(
        _("Your interest is withdrawn.")
        if withdraw
        else _(
            "Your interest is registered. The provider and the coordinator can see it."
        ),
        "success",
    )
    return redirect(url_for("courses.catalogue.detail", course_id=course.id))


@login_required
def interest_report():
    require(can_view_interest(current_user))
    provider_ids, jobcentre_id = None, None
    if not current_user.is_admin:
        if current_user.has_role(Role.provider_staff):
            provider_ids = provider_ids_of(current_user)
        if current_user.has_role(Role.coordinator) and provider_ids is None:
            team = current_user.team
            jobcentre_id = team.parent_id if team is not None else -1
    return render_template(
        "courses/bookings/interest.html",
        rows=interest.counts(provider_ids=provider_ids, jobcentre_id=jobcentre_id),
    )


def register(bp: Blueprint) -> None:
    """Add these pages to the bookings blueprint (called by the area's init_app)."""
    bp.add_url_rule(
        "/hold/<int:course_session_id>/deltagerliste", view_func=participants
    )
    bp.add_url_rule(
        "/hold/<int:course_session_id>/deltagere.<fmt>", view_func=participants_file
    )
    bp.add_url_rule(
        "/tilmeldinger/<int:booking_id>/fremmoede",
        methods=["POST"],
        view_func=attendance,
    )
    bp.add_url_rule(
        "/kurser/<int:course_id>/interesse",
        methods=["POST"],
        view_func=declare_interest,
    )
    bp.add_url_rule("/interesse/", view_func=interest_report)
