"""What internal offers add to the booking rules, registered with courses at app
start: the host is the provider of their offer's bookings, an offer may ask for
the manager's approval, and the days a person hosts an offer are busy days for
the clash rule. Each costs at most one query per request."""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask import g, has_request_context

from core.db import db, utcnow
from core.people.models import User
from courses.bookings.guards import Clash
from courses.bookings.models import Booking
from courses.bookings.transitions import Party
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from learning.internal.models import InternalOffer

APPROVAL_REASON = "internal_offer"


def _cached(name: str, load):
    if not has_request_context():
        return load()
    cache = g.setdefault("_internal_rules", {})
    if name not in cache:
        cache[name] = load()
    return cache[name]


def hosted_session_ids(user: User) -> frozenset[int]:
    """The sessions of the offers `user` hosts."""
    return _cached(
        f"hosted:{user.id}",
        lambda: frozenset(
            db.session.scalars(
                sa.select(InternalOffer.course_session_id).where(
                    InternalOffer.host_id == user.id
                )
            )
        ),
    )


def note_offer(offer: InternalOffer) -> None:
    """A page that has read the offer gives the approval rule its answer for
    the offer's session (the rule's own condition on the same row), so the rule
    need not read every offer's for it; for this request only."""
    if has_request_context():
        cs = offer.course_session
        asks = cs.starts_at is not None and cs.starts_at > utcnow()
        known = g.setdefault("_internal_rules", {}).setdefault("approval_of", {})
        known[cs.id] = offer.needs_approval and asks


# The offers needing approval that have not begun, with the moment bound at run
# time ("now"): built once per process (issue 19), as building a statement and
# its cache key costs more than SQLite takes to answer it.
_APPROVAL = (
    sa.select(InternalOffer.course_session_id)
    .join(CourseSession, CourseSession.id == InternalOffer.course_session_id)
    .where(
        InternalOffer.needs_approval.is_(True),
        CourseSession.starts_at > sa.bindparam("now"),
    )
)


def _approval_session_ids() -> frozenset[int]:
    return _cached(
        "approval",
        lambda: frozenset(db.session.scalars(_APPROVAL, {"now": utcnow()})),
    )


def host_is_provider(actor: User, booking: Booking) -> set[Party]:
    """The host signs off their offer's bookings as a provider does."""
    if actor.id == booking.user_id or not actor.active:
        return set()
    if booking.course_session_id in hosted_session_ids(actor):
        return {Party.provider}
    return set()


def offer_needs_approval(person: User, course_session: CourseSession) -> str | None:
    """The host asked for the learner's manager to approve."""
    kept = g.get("_internal_rules", {}) if has_request_context() else {}
    known = kept.get("approval_of", {})
    if course_session.id in known:
        return APPROVAL_REASON if known[course_session.id] else None
    if course_session.id in _approval_session_ids():
        return APPROVAL_REASON
    return None


def _hosted(since: bool) -> sa.Select:
    query = (
        sa.select(
            InternalOffer.host_id,
            CourseSession.id,
            Course.title,
            CourseSession.starts_at,
            CourseSession.ends_at,
            Meeting.starts_at,
            Meeting.ends_at,
        )
        .join(CourseSession, CourseSession.id == InternalOffer.course_session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .join(Meeting, Meeting.course_session_id == CourseSession.id)
        .where(
            InternalOffer.host_id.in_(sa.bindparam("hosts", expanding=True)),
            CourseSession.status != SessionStatus.cancelled,
            Meeting.cancelled.is_(False),
        )
    )
    if since:
        query = query.where(Meeting.ends_at > sa.bindparam("since"))
    return query


# hosted_busy's statement with and without a window, the hosts and the window's
# start bound at run time: built once per process (issue 19).
_HOSTED = {since: _hosted(since) for since in (False, True)}


def hosted_busy(person_ids: Sequence[int], since: datetime | None) -> list[Clash]:
    """The offers the people host keep their course days busy, as a booking of
    their own would: a host cannot book a course on the day they run a job
    shadowing. One query."""
    values = {"hosts": list(person_ids)}
    if since is not None:
        values["since"] = since
    found: dict[tuple[int, int], list] = {}
    rows = db.session.execute(_HOSTED[since is not None], values)
    for host_id, sid, title, first, last, starts, ends in rows:
        item = found.setdefault((host_id, sid), [title, first, last, []])
        item[3].append((starts, ends))
    return [
        Clash(host_id, sid, title, None, first, last, tuple(sorted(meetings)))
        for (host_id, sid), (title, first, last, meetings) in found.items()
    ]
