"""What the booking route would do for a person on a session, asked before a
page draws a button: the same transition check the route runs, on a booking not
yet made, so the page and the route cannot disagree."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app

from core.db import utcnow
from core.people.models import User
from courses.bookings import guards, lifecycle
from courses.bookings.errors import BookingError
from courses.bookings.models import Booking
from courses.sessions.models import CourseSession

# A rule returns a reason (text) when the person's booking needs approval, else None.
ApprovalRule = Callable[[User, CourseSession], str | None]
_RULES_KEY = "booking_approval_rules"

# Refusals that come from who the person is (their employer, team, courses,
# calendar), not from the session: a page says these instead of a price.
PERSONAL = frozenset(
    {"not_in_audience", "no_team", "missing_prerequisites", "clash", "not_allowed"}
)


def add_approval_rule(app: Flask, rule: ApprovalRule) -> None:
    """Let another area demand the manager's approval for a booking (today
    learning.internal: an internal offer whose host asked for it)."""
    app.extensions.setdefault(_RULES_KEY, []).append(rule)


def approval_reason(person: User, course_session: CourseSession) -> str:
    """Why the booking needs the manager's approval ("" when it does not)."""
    if course_session.price_for(person.employer_kind) > 0:
        return "paid"
    for rule in current_app.extensions.get(_RULES_KEY, []):
        reason = rule(person, course_session)
        if reason:
            return reason
    return ""


def team_refusal(person: User, reason: str) -> BookingError | None:
    """A booking that needs approval needs a team, whose manager approves it."""
    return BookingError("no_team") if reason and person.team_id is None else None


@dataclass(frozen=True)
class BookingOption:
    """The form a page may offer: `expect` is "request", "seat" or "waitlist";
    None, with the route's `refusal`, when booking would be refused."""

    expect: str | None
    refusal: BookingError | None = None

    @property
    def personal(self) -> bool:
        """Refused for who the person is (the page says why), not for the session."""
        return self.refusal is not None and self.refusal.code in PERSONAL

    @property
    def shows_price(self) -> bool:
        """No price for a person the course is not meant for."""
        return self.refusal is None or self.refusal.code != "not_in_audience"


def refusal(
    person: User,
    course_session: CourseSession,
    *,
    now: datetime | None = None,
    known: guards.Known | None = None,
) -> BookingError | None:
    """Why booking.book() would refuse `person` a new booking, or None."""
    reason = approval_reason(person, course_session)
    refused = team_refusal(person, reason)
    if refused is not None:
        return refused
    probe = Booking(
        user=person,
        user_id=person.id,
        course_session=course_session,
        course_session_id=course_session.id,
    )
    try:
        lifecycle.check(
            "request" if reason else "book", person, probe, now or utcnow(), known
        )
    except BookingError as exc:
        return exc
    return None


def loaded_meetings(course_sessions) -> dict | None:
    """The sessions' meetings that are not cancelled, when the page loaded them
    with the sessions (None: the clash check reads them)."""
    if any("meetings" in sa.inspect(cs).unloaded for cs in course_sessions):
        return None
    return {
        cs.id: [(m.starts_at, m.ends_at) for m in cs.meetings if not m.cancelled]
        for cs in course_sessions
    }


def options(
    person: User,
    course_sessions,
    *,
    now: datetime | None = None,
    known: guards.Known | None = None,
) -> dict[int, BookingOption]:
    """The option for each session, by id, in a fixed number of queries (none
    when the caller read the prerequisites and clashes already: `known`)."""
    course_sessions = list(course_sessions)
    if known is None:
        courses = {cs.course.id: cs.course for cs in course_sessions}.values()
        known = guards.Known(
            missing=guards.missing_prerequisites_of(person, courses),
            clashes=guards.clashes_of(
                person,
                [cs.id for cs in course_sessions],
                meetings=loaded_meetings(course_sessions),
            ),
        )
    now = now or utcnow()
    found = {}
    for cs in course_sessions:
        refused = refusal(person, cs, now=now, known=known)
        if refused is not None:
            found[cs.id] = BookingOption(None, refused)
        elif approval_reason(person, cs):
            found[cs.id] = BookingOption("request")
        else:
            found[cs.id] = BookingOption("seat" if cs.seats_left else "waitlist")
    return found
