"""Keep each provider feed's version in step with its data, inside the flush.

Every ORM change to a provider, its courses, their sessions or meetings raises
the provider's CalendarFeedStamp with one atomic upsert, so concurrent writers
never share a version. Core UPDATEs elsewhere touch only the seat counter and
capacity, which the feed does not show.
"""

from itertools import chain

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db import db, utcnow
from courses.calendars.models import CalendarFeedStamp
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, Meeting


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


def _before_flush(session: Session, _context, _instances) -> None:
    providers = _providers_touched(session)
    if providers:
        bump(session, providers)


def listen() -> None:
    """Install the flush hook once per process."""
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
