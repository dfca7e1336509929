"""Book from the course page, "Mine tilmeldinger", and the buttons on a booking."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, load_only

from core.db import db, utcnow, write_intent
from core.permissions import require
from core.urls import safe_next
from courses.bookings import lifecycle, services
from courses.bookings.errors import BookingError
from courses.bookings.forms import ActionForm, GiveUpForm
from courses.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from courses.bookings.notices import status_label
from courses.bookings.permissions import can_book, can_view_booking
from courses.bookings.transitions import TRANSITIONS
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession

# What the page promised when the form was drawn; a stale page is told, not surprised.
EXPECTATIONS = ("seat", "waitlist", "request")


def pass_on_due_offers_before_acting() -> None:
    """The one hook in a request that writes besides the action itself, for POSTs
    only: before acting on a booking, lapsed offers pass on and free seats go to the
    queue (as the expire-offers job does), so the action meets the state the job
    would leave. Pages (GET) never call it: they show a lapsed offer as lapsed."""
    if request.method in ("GET", "HEAD"):
        raise RuntimeError("a page must not write: pass on offers in a POST")
    due = lifecycle.offers_due()
    if not due and not lifecycle.sessions_with_free_seats_and_a_queue(limit=1):
        return
    db.session.commit()  # end the read so the write transaction takes the lock first
    with write_intent():
        services.pass_on_due_offers()
        db.session.commit()


def refuse(exc: BookingError, *, course_session=None, status: int = 409):
    """A clear Danish message and a 4xx; the transaction is rolled back."""
    db.session.rollback()
    if exc.code == "not_allowed":
        status = 403
    return render_template(
        "courses/bookings/refused.html",
        message=str(exc),
        code=exc.code,
        course_session=course_session,
        form=ActionForm(),
    ), status


def carry_out(operation, booking: Booking, back: str, **kwargs):
    """Run the booking service `operation` for the signed-in person: a refusal is
    a Danish 4xx page; success is committed, told, and redirected to `back`."""
    try:
        operation(current_user, booking, **kwargs)
    except BookingError as exc:
        return refuse(exc, course_session=booking.course_session)
    db.session.commit()
    flash(
        _("The booking is now %(status)s.", status=status_label(booking.status)),
        "success",
    )
    return redirect(back)


_course = joinedload(CourseSession.course)
# Built once: every booking POST reads it.
_BOOKED_SESSION = (
    sa.select(CourseSession)
    .where(CourseSession.id == sa.bindparam("course_session_id"))
    .options(
        _course.joinedload(Course.provider),
        _course.joinedload(Course.prerequisites),
        joinedload(CourseSession.meetings),
    )
)


@login_required
def book(course_session_id: int):
    # The form is checked before the first statement, which on SQLite takes the
    # writers' lock (core.db): the token's signature is no work for the lock's
    # holder. The answers keep their order (404, 403, then 400).
    expect = request.form.get("expect", "seat")
    complete = ActionForm().validate_on_submit() and expect in EXPECTATIONS
    # The course, its prerequisites, its provider and the session's meetings
    # come with the session in one statement: the rules read the course, its
    # prerequisites and the meetings (clashes), the confirmation names the provider.
    course_session = (
        db.session.scalars(_BOOKED_SESSION, {"course_session_id": course_session_id})
        .unique()
        .one_or_none()
    )
    if course_session is None:
        abort(404)
    require(can_book(current_user))
    if not complete:
        abort(
            400,
            description=_("The form was incomplete. Reload the page and try again."),
        )
    try:
        booking, made = services.book_or_find(
            current_user, course_session, waitlist=expect != "seat"
        )
    except BookingError as exc:
        return refuse(exc, course_session=course_session)
    db.session.commit()
    flash(_booked_message(booking, again=not made), "success")
    return redirect(url_for("courses.bookings.mine"))


def _booked_message(booking: Booking, *, again: bool) -> str:
    if again:
        return _(
            "You already have a booking for this session: it is %(status)s.",
            status=status_label(booking.status),
        )
    if booking.status is BookingStatus.confirmed:
        return _("You are booked. A confirmation is on its way by e-mail.")
    if booking.status is BookingStatus.requested:
        return _("Your booking is sent to your manager for approval.")
    position = services.waitlist_positions([booking]).get(booking.id)
    return _(
        "The session is full. You are number %(n)s on the waiting list.", n=position
    )


# Built once: "Mine tilmeldinger" is also where every booking POST lands.
# The columns the page shows and its rules read (the dates say whether giving a
# seat up is late), no more: the bookings' other columns, the session's texts
# and prices, the course's texts, provider and meetings are not read (issue 19).
_MINE = (
    sa.select(Booking)
    .where(Booking.user_id == sa.bindparam("user_id"))
    .options(
        load_only(
            Booking.user_id,
            Booking.course_session_id,
            Booking.status,
            Booking.price,
            Booking.decision_comment,
            Booking.skip_reason,
            Booking.offer_expires_at,
            raiseload=True,
        ),
        joinedload(Booking.course_session)
        .load_only(
            CourseSession.course_id,
            CourseSession.starts_at,
            CourseSession.location,
            CourseSession.cancellation_deadline,
            raiseload=True,
        )
        .joinedload(CourseSession.course)
        .load_only(Course.title, raiseload=True),
    )
    .order_by(Booking.booked_at.desc(), Booking.id.desc())
)


@login_required
def mine():
    bookings = db.session.scalars(_MINE, {"user_id": current_user.id}).all()
    now = utcnow()
    groups = {"offers": [], "upcoming": [], "waiting": [], "history": []}
    for booking in bookings:
        groups[_group(booking, now)].append(booking)
    groups["upcoming"].sort(key=lambda b: b.course_session.starts_at or now)
    return render_template(
        "courses/bookings/mine.html",
        groups=groups,
        positions=services.waitlist_positions(groups["waiting"]),
        steps={b.id: services.giving_up(b, now) for b in bookings},
        now=now,
        form=ActionForm(),
    )


def _group(booking: Booking, now) -> str:
    starts = booking.course_session.starts_at
    if booking.status is BookingStatus.offered:
        return "offers"
    if booking.status in (BookingStatus.requested, BookingStatus.waitlisted):
        return "waiting"
    if booking.status is BookingStatus.confirmed and (starts is None or starts > now):
        return "upcoming"
    return "history"


def _load_booking(booking_id: int) -> Booking:
    booking = db.session.scalar(
        sa.select(Booking)
        .where(Booking.id == booking_id)
        .options(
            joinedload(Booking.user),
            joinedload(Booking.course_session).joinedload(CourseSession.course),
        )
    )
    if booking is None:
        abort(404)
    require(can_view_booking(current_user, booking))
    return booking


# name of the action in the URL -> the service that performs it
_ACTIONS = {
    "accepter": ("accept", services.accept_offer),
    "afslaa": ("decline", services.decline_offer),
    "afmeld": ("cancel", services.cancel),
}


def ask_first(booking: Booking, form: GiveUpForm, status: int = 200):
    """The page that says what giving the booking up means (late, and what a late
    cancellation costs) before it happens; "My bookings" has the same in a dialog."""
    now = utcnow()
    return render_template(
        "courses/bookings/give_up.html",
        booking=booking,
        step=services.giving_up(booking, now),
        place=services.waitlist_positions([booking]).get(booking.id),
        now=now,
        form=form,
    ), status


@login_required
def confirm(booking_id: int, action: str):
    """Ask before cancelling, withdrawing or declining (a GET: nothing changes)."""
    booking = _load_booking(booking_id)
    if services.giving_up(booking) is None:
        flash(
            _(
                "That was already done: the booking is %(status)s.",
                status=status_label(booking.status),
            ),
            "info",
        )
        return redirect(url_for("courses.bookings.mine"))
    return ask_first(booking, GiveUpForm(formdata=None))


@login_required
def act(booking_id: int, action: str):
    booking = _load_booking(booking_id)
    name, operation = _ACTIONS[action]
    form = GiveUpForm() if name == "cancel" else ActionForm()
    if not form.validate_on_submit():
        if form.errors:
            db.session.rollback()
            return ask_first(booking, form, 400)
        abort(
            400,
            description=_("The form was incomplete. Reload the page and try again."),
        )
    lapsed = booking.offer_lapsed
    pass_on_due_offers_before_acting()
    if lapsed and name == "accept":  # the page said so; the seat has passed on
        return refuse(
            BookingError("offer_expired"), course_session=booking.course_session
        )
    if _already_done(booking, name):
        flash(
            _(
                "That was already done: the booking is %(status)s.",
                status=status_label(booking.status),
            ),
            "info",
        )
        return redirect(_back())
    reason = {"reason": form.reason.data or ""} if name == "cancel" else {}
    return carry_out(operation, booking, _back(), **reason)


def _already_done(booking: Booking, name: str) -> bool:
    """A double-click or a replay finds the booking where the first click left it."""
    if name == "cancel":
        return booking.status not in ACTIVE_STATUSES
    return booking.status is TRANSITIONS[name].target


def _back() -> str:
    return safe_next(request.form.get("next")) or url_for("courses.bookings.mine")


def register(bp: Blueprint) -> None:
    """Add these pages to the bookings blueprint (called by the area's init_app)."""
    bp.add_url_rule(
        "/hold/<int:course_session_id>/tilmeld", methods=["POST"], view_func=book
    )
    bp.add_url_rule("/tilmeldinger/", view_func=mine)
    bp.add_url_rule(
        "/tilmeldinger/<int:booking_id>/<any(accepter, afslaa, afmeld):action>",
        methods=["POST"],
        view_func=act,
    )
    for action in ("afmeld", "afslaa"):  # the pages that ask first
        bp.add_url_rule(
            f"/tilmeldinger/<int:booking_id>/{action}",
            endpoint=f"confirm_{action}",
            view_func=confirm,
            defaults={"action": action},
        )
