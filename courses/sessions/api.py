"""Course sessions in the API: the sessions of the catalogue's courses and their
meetings, read without a token."""

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy.orm import joinedload, selectinload

from core.api import errors
from core.api.auth import token_required
from core.api.fields import MONEY, money
from core.api.pagination import PageArgs, page_schema, paginate
from core.db import db
from core.people.models import EmployerKind
from courses.catalogue.api import listed_course_or_404
from courses.catalogue.models import Course
from courses.catalogue.permissions import can_manage_course
from courses.sessions.models import CourseSession, SessionStatus
from courses.sessions.services import upcoming_sessions

bp = Blueprint(
    "sessions_api",
    __name__,
    url_prefix=errors.PREFIX,
    description="Sessions: when and where the courses run (no token needed)",
)


class MeetingSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    place = fields.String(required=True)
    cancelled = fields.Boolean(required=True)
    all_day = fields.Boolean(required=True)


class SessionSchema(Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    course_title = fields.String(attribute="course.title", required=True)
    status = fields.Enum(SessionStatus, by_value=True, required=True)
    capacity = fields.Integer(required=True)
    min_participants = fields.Integer(required=True)
    seats_left = fields.Integer(required=True)
    price_state = fields.Function(
        lambda s: money(s.price_for(EmployerKind.state)), **MONEY
    )
    price_municipal = fields.Function(
        lambda s: money(s.price_for(EmployerKind.municipal)), **MONEY
    )
    booking_deadline = fields.AwareDateTime(allow_none=True, required=True)
    cancellation_deadline = fields.AwareDateTime(allow_none=True, required=True)
    location = fields.String(required=True)
    starts_at = fields.AwareDateTime(allow_none=True, required=True)
    ends_at = fields.AwareDateTime(allow_none=True, required=True)
    meetings = fields.List(fields.Nested(MeetingSchema), required=True)


SessionPage = page_schema(SessionSchema, "SessionPage")


def _loaded():
    return (
        joinedload(CourseSession.course).joinedload(Course.provider),
        selectinload(CourseSession.meetings),
    )


def public_session_or_404(course_session_id: int) -> CourseSession:
    """A session of a course everyone may see, else 404."""
    course_session = db.session.scalar(
        sa.select(CourseSession)
        .join(CourseSession.course)
        .options(*_loaded())
        .where(CourseSession.id == course_session_id, Course.is_listed())
    )
    if course_session is None:
        raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
    return course_session


@bp.route("/courses/<int:course_id>/sessions")
class CourseSessions(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, SessionPage)
    @errors.answers(bp, 400, 404)
    def get(self, args, course_id):
        """The course's sessions that are not cancelled and not yet over, first
        start first."""
        course = listed_course_or_404(course_id)
        return paginate(upcoming_sessions([course]).options(*_loaded()), args)


@bp.route("/sessions/<int:course_session_id>")
class SessionDetail(MethodView):
    @bp.response(200, SessionSchema)
    @errors.answers(bp, 400, 404)
    def get(self, course_session_id):
        """One session, with its meetings."""
        return public_session_or_404(course_session_id)


@bp.route("/provider/courses/<int:course_id>/sessions")
class ProviderSessions(MethodView):
    @token_required(bp, "provider:read")
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, SessionPage)
    @errors.answers(bp, 400, 404)
    def get(self, args, course_id):
        """All sessions of a course of your provider, cancelled and past ones
        too, first start first; another provider's course is not found."""
        course = db.session.get(Course, course_id)
        if course is None or not can_manage_course(current_user, course):
            raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
        stmt = (
            sa.select(CourseSession)
            .options(*_loaded())
            .where(CourseSession.course_id == course.id)
            .order_by(CourseSession.starts_at, CourseSession.id)
        )
        return paginate(stmt, args)
