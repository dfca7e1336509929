"""Booking operations for views, the CLI and tests: the acting user is an argument;
they flush and never commit; refusals are BookingError with a Danish message."""

from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.audit import record
from core.db import db, plain_rows, utcnow
from core.people.models import OrgUnit, User
from core.people.services import managed_team_ids
from courses.bookings import guards, lifecycle, queue
from courses.bookings.eligibility import (
    add_approval_rule,
    approval_reason,
    team_refusal,
)
from courses.bookings.errors import STATUS_LABELS, BookingError
from courses.bookings.lifecycle import (
    add_party_rule,
    allowed,
    apply,
    expire_due_offers,
    fill_offers,
)
from courses.bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    PrerequisiteWaiver,
)
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession
from courses.sessions.services import set_capacity_if_room

__all__ = [
    "BookingError",
    "accept_offer",
    "active_booking",
    "add_approval_rule",
    "add_party_rule",
    "allowed",
    "approval_reason",
    "approve",
    "book",
    "book_or_find",
    "cancel",
    "decline_offer",
    "expire_due_offers",
    "fill_offers",
    "giving_up",
    "pass_on_due_offers",
    "grant_waiver",
    "record_attendance",
    "reject",
    "set_capacity",
    "waitlist_positions",
]


# Built once: every booking POST asks it, and building it cost more than running
# it. Its id as a plain row: a new booking (nearly every POST) finds none, and
# the ORM's set-up for an answer of no rows cost more than the statement.
_ACTIVE_BOOKING = sa.select(Booking.id).where(
    Booking.user_id == sa.bindparam("user_id"),
    Booking.course_session_id == sa.bindparam("course_session_id"),
    Booking.status.in_(ACTIVE_STATUSES),
)


def active_booking(person: User, course_session: CourseSession) -> Booking | None:
    found = plain_rows(
        _ACTIVE_BOOKING,
        {"user_id": person.id, "course_session_id": course_session.id},
    ).scalar()
    return None if found is None else db.session.get(Booking, found)


def book(
    actor: User,
    course_session: CourseSession,
    *,
    waitlist: bool = True,
    approval: str = "",
    tell: bool = True,
    now: datetime | None = None,
) -> Booking:
    """Book a seat for `actor`: confirmed, waitlisted when full (or refused as
    session_full when `waitlist` is False), or requested when the manager must
    approve; `approval` names a reason that demands approval whatever the rules
    say (a development plan's bookings), and `tell=False` leaves telling the
    person and the manager to the caller. Booking again returns the booking the
    person already has."""
    return book_or_find(
        actor, course_session, waitlist=waitlist, approval=approval, tell=tell, now=now
    )[0]


def book_or_find(
    actor: User,
    course_session: CourseSession,
    *,
    waitlist: bool = True,
    approval: str = "",
    tell: bool = True,
    now: datetime | None = None,
) -> tuple[Booking, bool]:
    """book(), and whether this call made the booking (False: the person had
    one already, which is returned unchanged)."""
    now = now or utcnow()
    existing = active_booking(actor, course_session)
    if existing is not None:
        return existing, False
    reason = approval or approval_reason(actor, course_session)
    booking = Booking(
        user=actor,
        user_id=actor.id,
        course_session=course_session,
        course_session_id=course_session.id,
        team_id=actor.team_id,
        price=course_session.price_for(actor.employer_kind),
        budget_year=(course_session.starts_at or now).year,
        needs_approval=bool(reason),
        approval_reason=reason,
    )
    refused = team_refusal(actor, reason)
    if refused is not None:
        raise refused
    try:
        # A savepoint, so a concurrent duplicate (the unique index) undoes its seat too.
        with db.session.begin_nested():
            apply(
                "request" if reason else "book",
                actor,
                booking,
                now=now,
                when_full=waitlist,
                tell=tell,
                known=_known(actor, course_session),
            )
    except IntegrityError:
        existing = active_booking(actor, course_session)
        if existing is None:
            raise
        return existing, False
    return booking, True


def _known(person: User, course_session: CourseSession) -> guards.Known | None:
    """The guards' facts from the session's meetings when the caller loaded them
    with it (the booking POST): the clash check then reads only the person's busy
    days. None: the guards read the meetings themselves."""
    if "meetings" in sa.inspect(course_session).unloaded:
        return None
    live = {
        course_session.id: [
            (m.starts_at, m.ends_at) for m in course_session.meetings if not m.cancelled
        ]
    }
    return guards.Known(
        missing=guards.missing_prerequisites_of(person, [course_session.course]),
        clashes=guards.clashes_of(person, [course_session.id], meetings=live),
    )


def pass_on_due_offers(now: datetime | None = None) -> tuple[int, int]:
    """Let every offer past its deadline lapse and offer every free seat someone
    waits for: (offers lapsed, offers made). The cron job runs it, and so does a
    POST that acts on a booking, first; pages only read."""
    return expire_due_offers(now), lifecycle.fill_free_seats(now)


def approve(
    actor: User, booking: Booking, *, comment: str = "", now: datetime | None = None
) -> Booking:
    """Approve a request: a seat if one is free, else the waiting list."""
    return _decide("approve", actor, booking, comment, now)


def reject(
    actor: User, booking: Booking, *, comment: str = "", now: datetime | None = None
) -> Booking:
    """Refuse a request, with the manager's comment."""
    return _decide("reject", actor, booking, comment, now)


def _decide(name: str, actor: User, booking: Booking, comment: str, now) -> Booking:
    """Check the decision may be made, record who made it and why, then make it."""
    lifecycle.check(name, actor, booking, now or utcnow())
    booking.decided_by = actor
    booking.decided_at = now or utcnow()
    booking.decision_comment = comment.strip()
    return apply(name, actor, booking, now=now, reason=comment)


def giving_up(booking: Booking, now: datetime | None = None) -> str | None:
    """The transition that cancelling `booking` now makes ('decline', 'withdraw',
    'cancel' or 'cancel_late'), so a page can say what it means before it
    happens; None when the booking holds nothing to give up."""
    if booking.status is BookingStatus.offered:
        return "decline"
    if booking.status is BookingStatus.confirmed:
        late = lifecycle.guards.is_late_cancellation(
            booking.course_session, now or utcnow()
        )
        return "cancel_late" if late else "cancel"
    if booking.status in (BookingStatus.requested, BookingStatus.waitlisted):
        return "withdraw"
    return None


def cancel(
    actor: User, booking: Booking, *, reason: str = "", now: datetime | None = None
) -> Booking:
    """Give the booking up; a seat given up late is recorded as a late cancellation."""
    now = now or utcnow()
    name = giving_up(booking, now) or "withdraw"  # 'withdraw' refuses the state
    if name == "decline":
        reason = reason or "declined"
    return apply(name, actor, booking, now=now, reason=reason.strip())


def accept_offer(
    actor: User, booking: Booking, *, now: datetime | None = None
) -> Booking:
    """Take the offered seat. A clash found now is refused, the offer still stands."""
    now = now or utcnow()
    lifecycle.guards.no_clash(
        lifecycle.guards.Context(actor, booking, booking.course_session, now)
    )
    return apply("accept", actor, booking, now=now)


def decline_offer(
    actor: User, booking: Booking, *, now: datetime | None = None
) -> Booking:
    return apply("decline", actor, booking, now=now, reason="declined")


def set_capacity(
    actor: User | None,
    course_session: CourseSession,
    capacity: int,
    *,
    now: datetime | None = None,
) -> int:
    """Change the number of seats; new seats go to the waiting list as offers."""
    before = course_session.capacity
    if capacity < 0 or not set_capacity_if_room(course_session, capacity):
        raise BookingError("capacity_below_taken", taken=course_session.seats_taken)
    record(
        actor,
        "course_session.capacity",
        course_session,
        before={"capacity": before},
        after={"capacity": capacity},
    )
    return fill_offers(course_session, now=now)


def cancel_for_session(
    course_session: CourseSession, *, reason: str = "", now: datetime | None = None
) -> int:
    """The provider cancelled the session: every active booking is cancelled, and
    each person is told the provider's `reason`."""
    bookings = db.session.scalars(
        sa.select(Booking).where(
            Booking.course_session_id == course_session.id,
            Booking.status.in_(
                [
                    BookingStatus.requested,
                    BookingStatus.waitlisted,
                    BookingStatus.offered,
                    BookingStatus.confirmed,
                ]
            ),
        )
    ).all()
    for booking in bookings:
        apply(
            "session_cancelled",
            None,
            booking,
            now=now,
            reason=reason or "session_cancelled",
        )
    return len(bookings)


def grant_waiver(
    actor: User, person: User, course: Course, *, reason: str
) -> PrerequisiteWaiver:
    """A manager lets the person book without the course's prerequisites (recorded)."""
    waiver = db.session.scalar(
        sa.select(PrerequisiteWaiver).where(
            PrerequisiteWaiver.user_id == person.id,
            PrerequisiteWaiver.course_id == course.id,
        )
    )
    if waiver is None:
        waiver = PrerequisiteWaiver(user=person, course=course)
        db.session.add(waiver)
    waiver.granted_by, waiver.reason, waiver.granted_at = (
        actor,
        reason.strip(),
        utcnow(),
    )
    db.session.flush()
    record(
        actor,
        "prerequisite.waived",
        waiver,
        after={"user_id": person.id, "course_id": course.id},
        reason=reason,
    )
    return waiver


# The provider's attendance choice -> the transitions that get the booking there.
_ATTENDANCE_STEPS = {
    "attended": {
        BookingStatus.confirmed: ("mark_attended",),
        BookingStatus.no_show: ("mark_attended",),
    },
    "no_show": {
        BookingStatus.confirmed: ("mark_no_show",),
        BookingStatus.attended: ("mark_no_show",),
    },
    "completed": {
        BookingStatus.confirmed: ("mark_attended", "complete"),
        BookingStatus.no_show: ("mark_attended", "complete"),
        BookingStatus.attended: ("complete",),
    },
}


def record_attendance(
    actor: User, booking: Booking, outcome: str, *, now: datetime | None = None
) -> Booking:
    """Mark a participant attended, absent or completed (idempotent when already so)."""
    steps = _ATTENDANCE_STEPS.get(outcome)
    if steps is None:
        raise BookingError("wrong_state", status=STATUS_LABELS[booking.status])
    if booking.status.value == outcome:
        return booking
    if booking.status not in steps:
        raise BookingError("wrong_state", status=STATUS_LABELS[booking.status])
    for name in steps[booking.status]:
        apply(name, actor, booking, now=now)
    return booking


def waitlist_positions(bookings) -> dict[int, int]:
    """Place on the waiting list (1 = next) of each waitlisted booking, in one query."""
    return queue.positions(bookings)


def active_bookings_by_session(person: User) -> dict[int, Booking]:
    """The person's active bookings keyed by session id."""
    rows = db.session.scalars(
        sa.select(Booking).where(
            Booking.user_id == person.id, Booking.status.in_(ACTIVE_STATUSES)
        )
    )
    return {b.course_session_id: b for b in rows}


def booking_closed(course_session: CourseSession, now: datetime | None = None) -> bool:
    """Past the booking deadline, or begun: the page offers no booking button."""
    now = now or utcnow()
    deadline, starts = course_session.booking_deadline, course_session.starts_at
    return (deadline is not None and now > deadline) or (
        starts is not None and starts <= now
    )


@cache
def _dashboard_statement(manages: bool) -> sa.Select | sa.CompoundSelect:
    """The bookings of the person `person` that are offers, confirmed, waiting or
    requested, on sessions after `now` (or without a start), counted by state;
    with `manages`, a union with the count of requests by others in the teams
    `teams`, under a NULL state. Built once: built anew each request, the
    statement and its cache key cost more than the answer (issue 19)."""
    person = sa.bindparam("person")
    own = (
        sa.select(sa.type_coerce(Booking.status, sa.String), sa.func.count(Booking.id))
        .join(CourseSession, CourseSession.id == Booking.course_session_id)
        .where(
            Booking.user_id == person,
            Booking.status.in_(
                [
                    BookingStatus.offered,
                    BookingStatus.confirmed,
                    BookingStatus.waitlisted,
                    BookingStatus.requested,
                ]
            ),
            sa.or_(
                CourseSession.starts_at.is_(None),
                CourseSession.starts_at
                > sa.bindparam("now", type_=CourseSession.starts_at.type),
            ),
        )
        .group_by(Booking.status)
    )
    if not manages:
        return own
    # Through the teams' people (ix_bookings_user_status), as the approval
    # inbox: joined, SQLite read every request in the country (issue 19).
    people = sa.select(User.id).where(
        User.team_id.in_(sa.bindparam("teams", expanding=True))
    )
    return sa.union_all(
        own,
        sa.select(sa.null(), sa.func.count(Booking.id)).where(
            Booking.status == BookingStatus.requested,
            Booking.user_id.in_(people),
            Booking.user_id != person,
        ),
    )


def dashboard_counts(person: User) -> dict[str, int]:
    """How many of the person's bookings are offers, upcoming or waiting, and how
    many requests await the person's decision: one statement
    (_dashboard_statement), the requests' count under the state None."""
    teams = managed_team_ids(person)
    given = {"person": person.id, "now": utcnow()}
    if teams:
        given["teams"] = list(teams)
    found = dict(plain_rows(_dashboard_statement(bool(teams)), given).all())
    rows = {BookingStatus[name]: n for name, n in found.items() if name is not None}
    to_decide = found.get(None, 0)
    return {
        "offers": rows.get(BookingStatus.offered, 0),
        "upcoming": rows.get(BookingStatus.confirmed, 0),
        "waiting": rows.get(BookingStatus.waitlisted, 0)
        + rows.get(BookingStatus.requested, 0),
        "to_decide": to_decide,
    }


# The order of the participant list: seat holders, offers, then those waiting.
_ORDER = sa.case(
    (Booking.status.in_([BookingStatus.requested, BookingStatus.waitlisted]), 2),
    (Booking.status == BookingStatus.offered, 1),
    else_=0,
)


def participants_of(course_session: CourseSession) -> list[Booking]:
    """Active bookings with their people and teams, in one query."""
    return list(
        db.session.scalars(
            sa.select(Booking)
            .join(Booking.user)
            .where(
                Booking.course_session_id == course_session.id,
                Booking.status.in_(ACTIVE_STATUSES),
            )
            .options(
                joinedload(Booking.user)
                .joinedload(User.team)
                .joinedload(OrgUnit.parent),
                # the lists show no one's roles: not read with the people
                joinedload(Booking.user).lazyload(User.role_rows),
            )
            .order_by(
                _ORDER, Booking.queue_number, Booking.queued_at, User.name, Booking.id
            )
        )
    )
