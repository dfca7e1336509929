"""The provider's pages for sessions and meetings; the bookings area adds the
participant list to the session's page (core.registry.PageSection)."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from core.db import db
from core.permissions import require
from core.registry import page_sections_for
from courses.catalogue.forms import ConfirmForm
from courses.catalogue.models import Course
from courses.catalogue.permissions import can_manage_course
from courses.sessions import services
from courses.sessions.errors import SessionError
from courses.sessions.forms import (
    STATUS_LABELS,
    CancelForm,
    MeetingForm,
    NewSessionForm,
    SessionForm,
)
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from courses.sessions.timing import local

bp = Blueprint("sessions", __name__)


def _show_error(form, exc: SessionError) -> None:
    db.session.rollback()
    exc.add_to(form)


def _load_session(course_session_id: int) -> CourseSession:
    course_session = db.get_or_404(
        CourseSession,
        course_session_id,
        options=[
            joinedload(CourseSession.course).joinedload(Course.provider),
            selectinload(CourseSession.meetings),
        ],
    )
    require(can_manage_course(current_user, course_session.course))
    return course_session


def _render(template: str, status: int = 200, **context):
    code = 400 if request.method == "POST" else status
    return render_template(f"courses/sessions/{template}", **context), code


@bp.route("/kurser/<int:course_id>/hold/")
@login_required
def index(course_id: int):
    course = db.get_or_404(Course, course_id)
    require(can_manage_course(current_user, course))
    course_sessions = db.session.scalars(
        db.select(CourseSession)
        .options(selectinload(CourseSession.meetings))
        .where(CourseSession.course_id == course.id)
        .order_by(CourseSession.starts_at.desc(), CourseSession.id.desc())
    ).all()
    return render_template(
        "courses/sessions/index.html",
        course=course,
        course_sessions=course_sessions,
        status_labels=STATUS_LABELS,
    )


@bp.route("/kurser/<int:course_id>/hold/nyt", methods=["GET", "POST"])
@login_required
def create(course_id: int):
    # The form starts from the provider's usual number of seats.
    course = db.get_or_404(Course, course_id, options=[joinedload(Course.provider)])
    require(can_manage_course(current_user, course))
    form = NewSessionForm()
    if request.method == "GET":
        form.capacity.data = course.provider.default_capacity
        form.status.data = SessionStatus.open.value
    if form.validate_on_submit():
        try:
            course_session = services.create_session(
                current_user, course, meetings=[form.meeting()], **form.values()
            )
        except SessionError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The session is created."), "success")
            return redirect(url_for(".detail", course_session_id=course_session.id))
    return _render("create.html", form=form, course=course)


@bp.route("/hold/<int:course_session_id>")
@login_required
def detail(course_session_id: int):
    course_session = _load_session(course_session_id)
    return render_template(
        "courses/sessions/detail.html",
        course_session=course_session,
        course=course_session.course,
        status_labels=STATUS_LABELS,
        sections=page_sections_for("course_session", current_user, course_session),
        local=local,
    )


@bp.route("/hold/<int:course_session_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(course_session_id: int):
    course_session = _load_session(course_session_id)
    stored = {
        name: local(value).date()
        for name in ("booking_deadline", "cancellation_deadline")
        if (value := getattr(course_session, name))
    }
    form = SessionForm(
        obj=course_session,
        first=course_session.starts_at,
        stored=stored,
        seats_taken=course_session.seats_taken,
    )
    if request.method == "GET":
        for name in ("booking_deadline", "cancellation_deadline"):
            getattr(form, name).data = stored.get(name)
    if form.validate_on_submit():
        try:
            services.update_session(current_user, course_session, **form.values())
        except SessionError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The session is saved."), "success")
            return redirect(url_for(".detail", course_session_id=course_session.id))
    return _render("edit.html", form=form, course_session=course_session)


@bp.route("/hold/<int:course_session_id>/aflys", methods=["GET", "POST"])
@login_required
def cancel(course_session_id: int):
    """Ask first (the page, or the dialog on the session's page), then cancel with
    the reason the participants are told; without a reason nothing changes."""
    course_session = _load_session(course_session_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(
                current_user, course_session, reason=form.reason.data
            )
        except SessionError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The session is cancelled."), "success")
            return redirect(url_for(".detail", course_session_id=course_session.id))
    return _render("cancel.html", form=form, course_session=course_session)


@bp.route("/hold/<int:course_session_id>/kursusdage/ny", methods=["GET", "POST"])
@login_required
def add_meeting(course_session_id: int):
    course_session = _load_session(course_session_id)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            services.add_meeting(current_user, course_session, form.meeting())
        except SessionError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The course day is added."), "success")
            return redirect(url_for(".detail", course_session_id=course_session.id))
    return _render(
        "meeting.html", form=form, course_session=course_session, meeting=None
    )


def _load_meeting(meeting_id: int) -> Meeting:
    """The meeting with its session, as _load_session() loads it (one query)."""
    meeting = db.get_or_404(
        Meeting,
        meeting_id,
        options=[
            joinedload(Meeting.course_session)
            .joinedload(CourseSession.course)
            .joinedload(Course.provider),
            joinedload(Meeting.course_session).joinedload(CourseSession.meetings),
        ],
    )
    require(can_manage_course(current_user, meeting.course_session.course))
    return meeting


@bp.route("/kursusdage/<int:meeting_id>/rediger", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    meeting = _load_meeting(meeting_id)
    form = MeetingForm(stored_day=meeting.first_day)
    if request.method == "GET":
        starts, ends = local(meeting.starts_at), local(meeting.ends_at)
        form.day.data, form.start.data = starts.date(), starts.time()
        form.end.data, form.place.data = ends.time(), meeting.place
        form.title.data = meeting.title
    if form.validate_on_submit():
        try:
            services.update_meeting(current_user, meeting, form.meeting())
        except SessionError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The course day is saved."), "success")
            return redirect(
                url_for(".detail", course_session_id=meeting.course_session_id)
            )
    return _render(
        "meeting.html",
        form=form,
        course_session=meeting.course_session,
        meeting=meeting,
    )


@bp.route("/kursusdage/<int:meeting_id>/aflys", methods=["GET", "POST"])
@login_required
def cancel_meeting(meeting_id: int):
    """Ask first, then cancel one course day of a session."""
    meeting = _load_meeting(meeting_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.cancel_meeting(current_user, meeting)
        except SessionError as exc:
            _show_error(form, exc)
        else:
            db.session.commit()
            flash(_("The course day is cancelled."), "success")
            return redirect(
                url_for(".detail", course_session_id=meeting.course_session_id)
            )
    return _render(
        "cancel_meeting.html",
        form=form,
        meeting=meeting,
        course_session=meeting.course_session,
    )
