"""The engine that runs the transition table: check, move seats, change state,
audit, notify, signal; and the waiting list that freed seats flow to."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from core.audit import record
from core.db import db, utcnow
from core.people.models import User
from core.people.permissions import leads_team
from courses import signals
from courses.bookings import guards, notices, queue, seats
from courses.bookings.errors import STATUS_LABELS, BookingError, NoSeatError
from courses.bookings.models import SEAT_STATUSES, Booking, BookingStatus
from courses.bookings.transitions import TRANSITIONS, Party, Transition
from courses.catalogue.permissions import provider_ids_of
from courses.sessions.models import CourseSession, SessionStatus

_SIGNALS = {
    BookingStatus.requested: signals.booking_requested,
    BookingStatus.confirmed: signals.booking_confirmed,
    BookingStatus.cancelled: signals.booking_cancelled,
    BookingStatus.late_cancelled: signals.booking_cancelled,
    BookingStatus.completed: signals.booking_completed,
}


# A rule names the extra parts `actor` plays towards a booking (none: empty).
PartyRule = Callable[[User, Booking], Iterable[Party]]
_PARTY_RULES_KEY = "booking_party_rules"


def add_party_rule(app: Flask, rule: PartyRule) -> None:
    """Let another area make someone a party (learning: the host of an internal
    offer signs off its bookings as the provider would)."""
    app.extensions.setdefault(_PARTY_RULES_KEY, []).append(rule)


def parties_of(actor: User | None, booking: Booking) -> set[Party]:
    """The roles `actor` plays towards `booking` in the transition table."""
    if actor is None:
        return {Party.system}
    parties = set()
    if actor.id == booking.user_id:
        parties.add(Party.owner)
    else:
        # Nobody approves their own booking, whatever else they lead.
        if leads_team(actor, booking.user.team_id):
            parties.add(Party.approver)
        if actor.is_admin:
            parties.add(Party.admin)
    if booking.course_session.course.provider_id in provider_ids_of(actor):
        parties.add(Party.provider)
    for rule in current_app.extensions.get(_PARTY_RULES_KEY, ()):
        parties.update(rule(actor, booking))
    return parties


def allowed(name: str, actor: User | None, booking: Booking) -> bool:
    """May `actor` make transition `name` from the booking's state (guards aside)?"""
    t = TRANSITIONS[name]
    source = booking.status if booking.id is not None else None
    return source in t.sources and bool(t.parties & parties_of(actor, booking))


def check(
    name: str,
    actor: User | None,
    booking: Booking,
    now: datetime,
    known: guards.Known | None = None,
) -> Transition:
    """Raise BookingError unless transition `name` may run now (`known`: facts a
    page read in advance for many sessions, see eligibility.py)."""
    t = TRANSITIONS[name]
    source = booking.status if booking.id is not None else None
    # Who may comes first: someone who is no party is refused as such (403),
    # not told what state the booking is in.
    if not t.parties & parties_of(actor, booking):
        raise BookingError("not_allowed")
    if source not in t.sources:
        raise BookingError("wrong_state", status=STATUS_LABELS[booking.status])
    ctx = guards.Context(actor, booking, booking.course_session, now, known)
    for guard in t.guards:
        guard(ctx)
    return t


def apply(
    name: str,
    actor: User | None,
    booking: Booking,
    *,
    now: datetime | None = None,
    reason: str = "",
    when_full: bool = True,
    tell: bool = True,
    known: guards.Known | None = None,
) -> Booking:
    """Make transition `name`, with its seat, audit event, notices and signal.
    `when_full=False` refuses (NoSeatError) rather than take the table's fallback;
    `tell=False` leaves the notices to a caller that tells people once for many
    bookings (a development plan's requests); `known`: the guards' facts read
    already (see check())."""
    now = now or utcnow()
    if booking.id is not None:
        _lock(booking)
    t = check(name, actor, booking, now, known)
    cs = booking.course_session
    is_new = booking.id is None
    source = None if is_new else booking.status
    before = None if is_new else _state(booking)
    target = t.target
    wants_seat = target in SEAT_STATUSES and source not in SEAT_STATUSES
    if wants_seat and not seats.take(cs):
        if t.when_full is None or not when_full:
            raise NoSeatError()
        target = t.when_full
    released = source in SEAT_STATUSES and target not in SEAT_STATUSES
    if released:
        seats.release(cs)
    _enter(booking, target, actor, now, reason)
    if is_new:
        db.session.add(booking)
    db.session.flush()
    record(
        actor,
        f"booking.{name}",
        booking,
        before=before,
        after=_state(booking),
        reason=reason,
    )
    if tell:
        # The booking is flushed: the audit event waits for the notice's flush
        # (one INSERT round of the ORM for both, not one each; issue 19).
        with db.session.no_autoflush:
            notices.tell(name, booking, actor, reason=reason, was=source)
    signal = _SIGNALS.get(target)
    if signal is not None:
        signal.send(booking, actor=actor)
    if released:
        fill_offers(cs, now=now)
    return booking


def _lock(booking: Booking) -> None:
    """Hold the booking's row until the transaction ends, and refuse when another
    request (another worker or server) moved it on since this one read it: two
    approvals of one request at once took two seats for one booking (issue 19)."""
    committed = db.session.scalar(
        sa.select(Booking.status).where(Booking.id == booking.id).with_for_update()
    )
    if committed is not booking.status:
        raise BookingError("wrong_state", status=STATUS_LABELS[committed])


def _enter(booking: Booking, target: BookingStatus, actor, now, reason) -> None:
    booking.status = target
    if target is BookingStatus.waitlisted:
        booking.queued_at = now
        queue.draw_number(booking)
    elif target is BookingStatus.offered:
        booking.offered_at = now
        booking.offer_expires_at = offer_deadline(booking.course_session, now)
    elif target in (BookingStatus.cancelled, BookingStatus.late_cancelled):
        booking.cancelled_at = now
    if target is not BookingStatus.offered:
        booking.offer_expires_at = None
    if target is not BookingStatus.waitlisted:
        booking.skip_reason = ""


def _state(booking: Booking) -> dict:
    return {
        "status": booking.status.value,
        "course_session_id": booking.course_session_id,
        "user_id": booking.user_id,
        "offer_expires_at": (
            booking.offer_expires_at.isoformat() if booking.offer_expires_at else None
        ),
    }


def offer_deadline(course_session: CourseSession, now: datetime) -> datetime:
    """OFFER_HOURS from now, but never after the session begins."""
    deadline = now + timedelta(hours=current_app.config["OFFER_HOURS"])
    starts = course_session.starts_at
    return min(deadline, starts) if starts is not None and starts > now else deadline


def waiting_queue(course_session: CourseSession):
    """The session's waiting list in order: first in, first offered."""
    return (
        sa.select(Booking)
        .where(
            Booking.course_session_id == course_session.id,
            Booking.status == BookingStatus.waitlisted,
        )
        .order_by(*queue.ORDER)
    )


def fill_offers(course_session: CourseSession, *, now: datetime | None = None) -> int:
    """Offer free seats to the first in line, passing over anyone whose calendar
    clashes (they are told why and keep their place). Returns the offers made."""
    now = now or utcnow()
    if course_session.status is not SessionStatus.open:
        return 0
    if course_session.starts_at is not None and course_session.starts_at <= now:
        return 0
    made = 0
    for candidate in db.session.scalars(waiting_queue(course_session)).all():
        if course_session.seats_taken >= course_session.capacity:
            break
        clash = guards.clashing_course(candidate.user, course_session)
        if clash is not None:
            _pass_over(candidate, clash)
            continue
        try:
            apply("offer", None, candidate, now=now)
        except NoSeatError:
            break
        made += 1
    return made


def _pass_over(booking: Booking, clash: guards.Clash) -> None:
    reason = notices.clash_reason(clash)
    if booking.skip_reason == reason:
        return  # told once already; the reason has not changed
    booking.skip_reason = reason
    db.session.flush()
    record(
        None,
        "booking.passed_over",
        booking,
        after={"status": "waitlisted"},
        reason=reason,
    )
    notices.tell_passed_over(booking, reason)


def expire_due_offers(
    now: datetime | None = None, *, course_session_id: int | None = None
) -> int:
    """Let every offer past its deadline lapse; each seat passes to the next in line."""
    now = now or utcnow()
    query = sa.select(Booking).where(
        Booking.status == BookingStatus.offered, Booking.offer_expires_at <= now
    )
    if course_session_id is not None:
        query = query.where(Booking.course_session_id == course_session_id)
    lapsed = 0
    for booking in db.session.scalars(query.order_by(Booking.offer_expires_at)).all():
        db.session.refresh(booking)  # another run may have moved it meanwhile
        if booking.status is BookingStatus.offered:
            apply("lapse", None, booking, now=now, reason=notices.LAPSE_REASON)
            lapsed += 1
    return lapsed


def offers_due(now: datetime | None = None) -> bool:
    """Cheap check: is any offer past its deadline?"""
    query = sa.select(Booking.id).where(
        Booking.status == BookingStatus.offered,
        Booking.offer_expires_at <= (now or utcnow()),
    )
    return db.session.scalar(query.limit(1)) is not None


def sessions_with_free_seats_and_a_queue(limit: int = 50) -> list[CourseSession]:
    """Open sessions where a seat is free while people wait (a capacity raised by
    any path, say); the next read or cron run offers those seats."""
    waiting = sa.exists().where(
        Booking.course_session_id == CourseSession.id,
        Booking.status == BookingStatus.waitlisted,
        Booking.skip_reason == "",
    )
    return list(
        db.session.scalars(
            sa.select(CourseSession)
            .where(
                CourseSession.status == SessionStatus.open,
                CourseSession.seats_taken < CourseSession.capacity,
                waiting,
            )
            .limit(limit)
        )
    )


def fill_free_seats(now: datetime | None = None) -> int:
    """Offer every free seat that has someone waiting for it."""
    return sum(
        fill_offers(cs, now=now) for cs in sessions_with_free_seats_and_a_queue()
    )
