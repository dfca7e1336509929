"""Bookings in the API: a person's own bookings, booking and cancelling through
the same services and rules as the pages, and the participant lists of a
provider's sessions."""

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload

from core.api import errors
from core.api.auth import token_required
from core.api.fields import Money
from core.api.pagination import PageArgs, page_schema, paginate
from core.db import db
from courses.bookings import services
from courses.bookings.errors import BookingError
from courses.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from courses.bookings.permissions import can_book, can_view_participants
from courses.bookings.views import pass_on_due_offers_before_acting
from courses.sessions.api import public_session_or_404
from courses.sessions.models import CourseSession

bp = Blueprint(
    "bookings_api",
    __name__,
    url_prefix=errors.PREFIX,
    description="Bookings: your own, and your provider's participant lists",
)


class BookingSchema(Schema):
    id = fields.Integer(required=True)
    course_session_id = fields.Integer(required=True)
    course_id = fields.Integer(attribute="course_session.course_id", required=True)
    course_title = fields.String(attribute="course_session.course.title", required=True)
    status = fields.Enum(BookingStatus, by_value=True, required=True)
    needs_approval = fields.Boolean(required=True)
    price = Money(required=True)
    waiting_list_number = fields.Integer(
        attribute="queue_number", allow_none=True, required=True
    )
    offer_expires_at = fields.AwareDateTime(allow_none=True, required=True)
    booked_at = fields.AwareDateTime(required=True)
    cancelled_at = fields.AwareDateTime(allow_none=True, required=True)
    starts_at = fields.AwareDateTime(
        attribute="course_session.starts_at", allow_none=True, required=True
    )


class BookArgs(Schema):
    course_session_id = fields.Integer(
        required=True, validate=validate.Range(min=1, max=2**31 - 1)
    )
    waitlist = fields.Boolean(
        load_default=True,
        metadata={"description": "Join the waiting list when the session is full."},
    )


class CancelArgs(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class ParticipantSchema(Schema):
    booking_id = fields.Integer(attribute="id", required=True)
    name = fields.String(attribute="user.name", required=True)
    email = fields.String(attribute="user.email", required=True)
    team = fields.Function(
        lambda b: b.team.name if b.team else None,
        required=True,
        allow_none=True,
        metadata={"type": ["string", "null"]},
    )
    status = fields.Enum(BookingStatus, by_value=True, required=True)


BookingPage = page_schema(BookingSchema, "BookingPage")
ParticipantPage = page_schema(ParticipantSchema, "ParticipantPage")


def _refused(exc: BookingError):
    db.session.rollback()
    status = 403 if exc.code == "not_allowed" else 409
    return errors.ApiError(status, exc.code, str(exc))


def _own_booking_or_404(booking_id: int) -> Booking:
    """The caller's own booking; another person's is not found, not forbidden."""
    booking = db.session.scalar(
        sa.select(Booking)
        .options(joinedload(Booking.course_session).joinedload(CourseSession.course))
        .where(Booking.id == booking_id, Booking.user_id == current_user.id)
    )
    if booking is None:
        raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
    return booking


@bp.route("/me/bookings")
class MyBookings(MethodView):
    @token_required(bp, "me:read")
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, BookingPage)
    @errors.answers(bp, 400)
    def get(self, args):
        """Your bookings, newest first."""
        stmt = (
            sa.select(Booking)
            .options(
                joinedload(Booking.course_session).joinedload(CourseSession.course)
            )
            .where(Booking.user_id == current_user.id)
            .order_by(Booking.booked_at.desc(), Booking.id.desc())
        )
        return paginate(stmt, args)

    @token_required(bp, "bookings:write")
    @bp.arguments(BookArgs)
    @bp.response(201, BookingSchema)
    @errors.answers(bp, 400, 404, 409, 415)
    def post(self, args):
        """Book a seat on a session, as the booking page does: confirmed, on the
        waiting list, or sent for approval. Booking again returns the booking you
        have."""
        course_session = public_session_or_404(args["course_session_id"])
        if not can_book(current_user):
            raise errors.ApiError(403, "forbidden", str(errors.CODES[403][1]))
        pass_on_due_offers_before_acting()
        try:
            booking = services.book(
                current_user, course_session, waitlist=args["waitlist"]
            )
        except BookingError as exc:
            raise _refused(exc) from exc
        db.session.commit()
        return booking


@bp.route("/me/bookings/<int:booking_id>/cancel")
class CancelBooking(MethodView):
    @token_required(bp, "bookings:write")
    @bp.arguments(CancelArgs)
    @bp.response(200, BookingSchema)
    @errors.answers(bp, 400, 404, 409, 415)
    def post(self, args, booking_id):
        """Cancel your booking, as the cancel button on the page does (late is
        recorded as late).
        Cancelling a booking no longer active returns it as it is."""
        booking = _own_booking_or_404(booking_id)
        pass_on_due_offers_before_acting()
        if booking.status not in ACTIVE_STATUSES:
            return booking
        try:
            services.cancel(current_user, booking, reason=args["reason"])
        except BookingError as exc:
            raise _refused(exc) from exc
        db.session.commit()
        return booking


@bp.route("/provider/sessions/<int:course_session_id>/participants")
class Participants(MethodView):
    @token_required(bp, "provider:read")
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, ParticipantPage)
    @errors.answers(bp, 400, 404)
    def get(self, args, course_session_id):
        """The active bookings of a session of your provider, in the participant
        list's order; another provider's session is not found."""
        course_session = db.session.get(CourseSession, course_session_id)
        if course_session is None or not can_view_participants(
            current_user, course_session
        ):
            raise errors.ApiError(404, "not_found", str(errors.CODES[404][1]))
        rows = services.participants_of(course_session)
        start = (args["page"] - 1) * args["per_page"]
        return {
            "items": rows[start : start + args["per_page"]],
            "page": args["page"],
            "per_page": args["per_page"],
            "total": len(rows),
            "pages": -(-len(rows) // args["per_page"]),
        }
