"""Keep each provider feed's version in step with its data, inside the flush.

Every ORM change to a provider, its courses, their sessions or meetings raises
the provider's CalendarFeedStamp with one atomic upsert, so concurrent writers
never share a version. Core UPDATEs elsewhere touch only the seat counter and
capacity, which the feed does not show.

RecentStates lets a worker answer a repeated conditional request (a calendar
client polling) with 304 without a query, for a few seconds after it read the
state; any feed-relevant change this worker writes empties it at once.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db import db, utcnow
from core.people.models import User
from courses.bookings.models import Booking
from courses.calendars.models import CalendarFeedStamp, CalendarToken
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, Meeting

# What any feed shows: a provider's, or a person's (their bookings, token, name).
_FEED_TYPES = (Provider, Course, CourseSession, Meeting, Booking, CalendarToken, User)
_CHANGED = "calendar_feeds_changed"
_DEFERRED = "calendar_stamps_deferred"


class RecentStates:
    """Feed states this worker read in the last few seconds, by feed.

    Used only to confirm a 304: a request whose validators do not match reads
    the database. A change written through another worker reaches this one
    within the lifetime, so a client polling in that moment is told "not
    modified" and sees the change at its next poll.
    """

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._found: dict = {}
        self._lock = threading.Lock()

    def get(self, key, lifetime: float):
        found = self._found.get(key)
        if found is None or time.monotonic() - found[0] > lifetime:
            return None
        return found[1]

    def put(self, key, state) -> None:
        with self._lock:
            if len(self._found) >= self.MAX_ENTRIES:
                self._found.clear()
            self._found[key] = (time.monotonic(), state)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()


recent_states = RecentStates()


def _history_ids(obj, name: str) -> set[int]:
    history = sa.inspect(obj).attrs[name].history
    return {v for v in chain(history.added, history.deleted, history.unchanged) if v}


def _session_course_ids(course_session: CourseSession, new: bool) -> set[int]:
    ids = set() if new else _history_ids(course_session, "course_id")
    course = course_session.course
    if course is not None and course.id is not None:
        ids.add(course.id)
    elif course_session.course_id is not None:
        ids.add(course_session.course_id)
    return ids


def _meeting_course_ids(meeting: Meeting, seen: dict, new: bool) -> set[int]:
    course_session = meeting.course_session
    if course_session is None:
        ids = _history_ids(meeting, "course_session_id")
        return (
            set(
                db.session.scalars(
                    sa.select(CourseSession.course_id).where(CourseSession.id.in_(ids))
                )
            )
            if ids
            else set()
        )
    key = id(course_session)
    if key not in seen:  # a session's many meetings ask once
        seen[key] = _session_course_ids(course_session, new)
    return seen[key]


def _providers_touched(session: Session) -> set[int]:
    providers: set[int] = set()
    course_ids: set[int] = set()
    seen: dict[int, set[int]] = {}
    for obj in chain(session.new, session.dirty, session.deleted):
        new = obj in session.new
        if not new and obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Meeting):
            course_ids |= _meeting_course_ids(obj, seen, new)
        elif isinstance(obj, CourseSession):
            course_ids |= _session_course_ids(obj, new)
        elif isinstance(obj, Course):
            if not new:
                providers |= _history_ids(obj, "provider_id")
            if obj.provider is not None and obj.provider.id is not None:
                providers.add(obj.provider.id)
        elif isinstance(obj, Provider) and obj.id is not None:
            providers.add(obj.id)
    if course_ids:
        providers |= set(
            session.scalars(
                sa.select(Course.provider_id).where(Course.id.in_(course_ids))
            )
        )
    return providers


def bump(session: Session, provider_ids: set[int]) -> None:
    feeds_changed(session)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    for provider_id in sorted(provider_ids):  # a fixed order: no lock cycles
        stmt = insert(CalendarFeedStamp).values(
            provider_id=provider_id, version=1, changed_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[CalendarFeedStamp.provider_id],
            set_={"version": CalendarFeedStamp.version + 1, "changed_at": now},
        )
        session.execute(stmt)


def feeds_changed(session: Session) -> None:
    """Forget the recent states now and again at commit: a request reading in
    between sees the old data and may cache it once more."""
    session.info[_CHANGED] = True
    recent_states.clear()


def _before_flush(session: Session, _context, _instances) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, _FEED_TYPES) for obj in changed):
        feeds_changed(session)
    providers = _providers_touched(session)
    if providers and _DEFERRED in session.info:
        feeds_changed(session)
        session.info[_DEFERRED] |= providers
    elif providers:
        bump(session, providers)


@contextmanager
def bumped_once(session: Session) -> Iterator[None]:
    """Raise each provider's stamp once, when the block ends, instead of at every
    flush inside it: the calendar import creates a course per title, each with
    its own flush (issue 19: 50 upserts of one row for a 5,000-event file). The
    stamp still rises in the writing transaction before anything can commit; a
    block that raises raises nothing (its transaction is rolled back)."""
    if _DEFERRED in session.info:  # inside another such block: that one bumps
        yield
        return
    session.info[_DEFERRED] = set()
    try:
        yield
        session.flush()
    finally:
        providers = session.info.pop(_DEFERRED)
    if providers:
        bump(session, providers)


def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        recent_states.clear()


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def listen() -> None:
    """Install the session hooks once per process."""
    for name, hook in (
        ("before_flush", _before_flush),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not sa.event.contains(Session, name, hook):
            sa.event.listen(Session, name, hook)
