"""Import a provider's iCalendar file as course sessions: store, preview, apply.

The uploaded bytes are stored (CalendarImport) and parsed again when the plan is
applied, so the preview and the change come from the same file and never from
form fields. planning.py works out what changes; this module checks and writes.
"""

import hashlib
import logging
from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from core import clock
from core.audit import record
from core.bulk import copy_rows
from core.db import db, utcnow
from core.people.models import User
from courses.calendars import stamps
from courses.calendars.errors import CalendarImportError
from courses.calendars.ical import COPENHAGEN
from courses.calendars.ical_lines import ICalError
from courses.calendars.ical_parse import ParsedEvent, parse_calendar
from courses.calendars.models import CalendarImport, ImportSource
from courses.calendars.planning import (
    BY_CATEGORY,
    BY_TITLE,
    NEW,
    SKIP,
    ImportPlan,
    SessionPlan,
    build_plan,
    choice_key,
    instants,
    new_course_title,
    suggest_course,
)
from courses.catalogue import services as catalogue
from courses.catalogue.models import Course, CourseStatus, Provider
from courses.sessions import services as sessions
from courses.sessions.models import CourseSession, Meeting
from courses.signals import session_changed

__all__ = [
    "BY_CATEGORY",
    "BY_TITLE",
    "COPENHAGEN",
    "NEW",
    "SKIP",
    "CalendarImportError",
    "ImportPlan",
    "Provider",
    "apply",
    "build_plan",
    "choice_key",
    "parse",
    "store",
    "suggest_course",
]

log = logging.getLogger(__name__)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _limits() -> dict:
    config = current_app.config
    return {
        "max_bytes": config["CALENDAR_IMPORT_MAX_BYTES"],
        "max_components": config["CALENDAR_IMPORT_MAX_EVENTS"],
        "horizon": timedelta(days=config["CALENDAR_IMPORT_HORIZON_DAYS"]),
        "max_occurrences": config["CALENDAR_IMPORT_MAX_MEETINGS"],
    }


def parse(data: bytes) -> list[ParsedEvent]:
    """The file's events, or CalendarImportError naming what is wrong and where.

    Series are read from today on (the product's clock), so the same file
    gives later meetings as time moves on."""
    limits = _limits()
    if len(data) > limits["max_bytes"]:  # before any parsing
        raise CalendarImportError("too_large", detail=len(data))
    try:
        events = parse_calendar(data, today=clock.today(), **limits)
    except ICalError as exc:
        raise CalendarImportError(
            exc.code, detail=exc.detail, line=exc.line, uid=exc.uid
        ) from exc
    except Exception as exc:  # a reader bug must still not become a 500
        log.exception("calendar reader failed on an upload")
        raise CalendarImportError("unreadable") from exc
    if not events:
        raise CalendarImportError("no_events")
    return [_checked(event) for event in events]


def _checked(event: ParsedEvent) -> ParsedEvent:
    """The event, less the meetings that have no length: an event whose DTEND
    equals its DTSTART, or a date-time start with neither DTEND nor DURATION,
    is an instant (RFC 5545 3.6.1), legal but no course meeting. The preview
    names them (no_length); one of them never refuses the file."""
    if len(event.uid) > 500:
        raise CalendarImportError("uid_too_long", line=event.line, uid=event.uid[:60])
    kept = []
    for occurrence in event.occurrences:
        if len(occurrence.recurrence_id) > 64:
            raise CalendarImportError("bad_recurrence", line=event.line, uid=event.uid)
        start, end = instants(occurrence)
        if end > start:
            kept.append(occurrence)
    if len(kept) == len(event.occurrences):
        return event
    no_length = len(event.occurrences) - len(kept)
    return replace(event, occurrences=tuple(kept), no_length=no_length)


def store(
    actor: User | None,
    provider: Provider,
    data: bytes,
    *,
    filename: str = "",
    source: str = ImportSource.upload,
    replace_all: bool = False,
) -> tuple[CalendarImport, list[ParsedEvent]]:
    """Check and keep an uploaded file for its preview; a bad file is not kept."""
    events = parse(data)
    calendar_import = CalendarImport(
        provider_id=provider.id,
        uploaded_by_id=getattr(actor, "id", None),
        source=source,
        filename=filename[:255],
        size=len(data),
        sha256=digest(data),
        data=data,
        replace_all=replace_all,
    )
    db.session.add(calendar_import)
    db.session.flush()
    record(
        actor,
        "calendar_import.upload",
        calendar_import,
        after={
            "filename": calendar_import.filename,
            "sha256": calendar_import.sha256,
            "events": len(events),
            "replace_all": replace_all,
        },
    )
    return calendar_import, events


def prune_unapplied(before) -> int:
    """Delete files stored for a preview before `before` and never applied."""
    return db.session.execute(
        sa.delete(CalendarImport).where(
            CalendarImport.applied_at.is_(None), CalendarImport.created_at < before
        )
    ).rowcount


def apply(
    actor: User | None,
    calendar_import: CalendarImport,
    choices: dict[str, str] | None = None,
    *,
    group_by: str | None = None,
    events: list[ParsedEvent] | None = None,
) -> ImportPlan:
    """Apply a stored file in the caller's transaction (flushes, never commits).

    `choices` and `group_by` are the preview's (see planning.build_plan).
    `events` may be passed by a caller that parsed these same stored bytes in this
    process (the sync command); a web request always parses them again.
    """
    if calendar_import.applied_at is not None:
        raise CalendarImportError("already_applied")
    provider = calendar_import.provider
    # One import per provider at a time (PostgreSQL; SQLite writes are serial),
    # and each stored file at most once, even when two requests race.
    db.session.execute(
        sa.select(Provider.id).where(Provider.id == provider.id).with_for_update()
    )
    if events is None:
        events = parse(calendar_import.data)
    plan = build_plan(
        provider,
        events,
        choices,
        group_by=group_by,
        replace_all=calendar_import.replace_all,
    )
    claimed = db.session.execute(
        sa.update(CalendarImport)
        .where(CalendarImport.id == calendar_import.id)
        .where(CalendarImport.applied_at.is_(None))
        .values(applied_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(calendar_import, ["applied_at"])
    if not claimed:
        raise CalendarImportError("already_applied")
    return _carry_out(actor, calendar_import, plan)


def reapply(
    actor: User | None,
    calendar_import: CalendarImport,
    *,
    events: list[ParsedEvent] | None = None,
) -> ImportPlan:
    """Apply a file applied before again on a later day, from the row that holds it.

    Series are read from today on, so the same bytes give later meetings as days
    pass (the sync command, for a feed that has not changed); keeping another
    copy of those bytes each day would grow the database without end.
    """
    provider = calendar_import.provider
    db.session.execute(
        sa.select(Provider.id).where(Provider.id == provider.id).with_for_update()
    )
    if events is None:
        events = parse(calendar_import.data)
    plan = build_plan(provider, events, replace_all=calendar_import.replace_all)
    calendar_import.applied_at = utcnow()
    return _carry_out(actor, calendar_import, plan)


def _carry_out(actor, calendar_import: CalendarImport, plan: ImportPlan) -> ImportPlan:
    """Write what `plan` says, for the file it was planned from."""
    provider = calendar_import.provider
    # New courses first, each with its own flush, before thousands of sessions
    # are pending in the session.
    new_courses: dict[str, Course] = {}
    with stamps.bumped_once(db.session):
        for item in plan.of_kind("create"):
            item.course = _course_for(actor, provider, item, new_courses)
    plan.new_courses = list(new_courses.values())
    _create_all(provider, plan.of_kind("create"))
    changed = []
    for item in plan.sessions:
        if item.kind == "change":
            _change(actor, item)
            changed.append(item.course_session)
    db.session.flush()
    # Cancellations last: the bookings area reacts to them at once.
    for item in plan.of_kind("cancel"):
        sessions.cancel_session(actor, item.course_session, reason="calendar_import")
    record(actor, "calendar_import.apply", calendar_import, after=plan.counts)
    db.session.flush()
    for course_session in changed:
        session_changed.send(course_session, reason="calendar_import")
    return plan


def _course_for(actor, provider, item: SessionPlan, new_courses) -> Course:
    if item.course is not None:
        return item.course
    title = new_course_title(item.event)
    known = new_courses.get(title.casefold())
    if known is None:
        # A calendar says when, not what it costs or whom it is for: the course
        # is a draft until the provider has checked it and published it.
        known = catalogue.create_course(
            actor,
            provider,
            title=title,
            description=item.event.description,
            category=item.category,
            status=CourseStatus.draft,
        )
        new_courses[title.casefold()] = known
    return known


def _create_all(provider: Provider, items: list[SessionPlan]) -> None:
    """New sessions and their meetings as two bulk writes: thousands of events
    would otherwise spend most of their time in the unit of work. On PostgreSQL
    the sessions' ids are drawn from the sequence and both tables are written
    with COPY (core.bulk); on SQLite an executemany INSERT each."""
    if not items:
        return
    rows = [
        {
            "course_id": item.course.id,
            "capacity": item.capacity,
            "status": item.status,
            "location": item.location,
            "provider_uid": item.event.uid,
            "starts_at": min(m.starts_at for m in item.meetings),
            "ends_at": max(m.ends_at for m in item.meetings),
        }
        for item in items
    ]
    # Core INSERTs on the tables, not the ORM's bulk path: the rows are complete
    # and the ORM's per-row bookkeeping was most of the time.
    sessions_table, meetings_table = CourseSession.__table__, Meeting.__table__
    ids = _new_ids(sessions_table, len(rows))
    ids_drawn = ids is not None  # PostgreSQL: both tables through COPY
    if ids is None:
        ids = (
            db.session.execute(
                sessions_table.insert().returning(
                    sessions_table.c.id, sort_by_parameter_order=True
                ),
                rows,
            )
            .scalars()
            .all()
        )
    else:
        copy_rows(
            sessions_table, [row | {"id": n} for row, n in zip(rows, ids, strict=True)]
        )
    meetings = [
        {
            "course_session_id": course_session_id,
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "place": m.place,
            "all_day": m.all_day,
            "recurrence_id": m.recurrence_id,
        }
        for course_session_id, item in zip(ids, items, strict=True)
        for m in item.meetings
    ]
    if ids_drawn:
        copy_rows(meetings_table, meetings)
    else:
        db.session.execute(meetings_table.insert(), meetings)
    # Bulk INSERTs pass by the flush hook: raise the feed's stamp here.
    stamps.bump(db.session, {provider.id})


def _new_ids(table: sa.Table, count: int) -> list[int] | None:
    """On PostgreSQL, `count` ids drawn from the table's sequence in one query, so
    the rows go in through COPY, which returns nothing. A multi-row INSERT ...
    RETURNING of 5,000 sessions spent most of the import's time in psycopg
    rewriting its thousands of placeholders, and the pipelined executemany that
    followed it a statement per row; SQLite (None here) has no sequence and is
    fast with an executemany."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    sequence = sa.func.pg_get_serial_sequence(table.name, "id")
    return list(
        db.session.scalars(
            sa.select(sa.func.nextval(sequence)).select_from(
                sa.func.generate_series(1, count)
            )
        )
    )


def _change(actor, item: SessionPlan) -> None:
    course_session = item.course_session
    for m in item.meetings:
        if m.kind == "create":
            course_session.meetings.append(
                Meeting(
                    starts_at=m.starts_at,
                    ends_at=m.ends_at,
                    place=m.place,
                    all_day=m.all_day,
                    recurrence_id=m.recurrence_id,
                )
            )
        elif m.kind != "same":
            meeting = m.meeting
            meeting.cancelled = m.kind == "cancel"
            if m.kind != "cancel":
                meeting.starts_at, meeting.ends_at, meeting.place = (
                    m.starts_at,
                    m.ends_at,
                    m.place,
                )
                meeting.all_day = m.all_day
                meeting.recurrence_id = m.recurrence_id
            meeting.sequence += 1
    before = {name: old for name, old, _new in item.changes}
    after = {name: new for name, _old, new in item.changes}
    course_session.location = item.location
    course_session.status = item.status
    if "capacity" in after:
        course_session.capacity = item.capacity
    course_session.sequence += 1
    _refresh_span(course_session)
    moved = [m.kind for m in item.meetings if m.kind != "same"]
    record(
        actor,
        "course_session.import_change",
        course_session,
        before=before,
        after=after | {"meetings": moved},
    )


def _refresh_span(course_session: CourseSession) -> None:
    live = [m for m in course_session.meetings if not m.cancelled]
    course_session.starts_at = min((m.starts_at for m in live), default=None)
    course_session.ends_at = max((m.ends_at for m in live), default=None)
