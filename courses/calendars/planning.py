"""What importing a calendar file would do: a plan per event, read from the
database without changing it. Events are matched on (provider, UID, RECURRENCE-ID)."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.db import db, utcnow
from courses.calendars.ical import COPENHAGEN
from courses.calendars.ical_parse import Occurrence, ParsedEvent
from courses.catalogue.models import Category, Course, Provider
from courses.sessions.models import CourseSession, Meeting, SessionStatus

NEW, SKIP = "new", "skip"
_STATUS = {"TENTATIVE": SessionStatus.planned, "CANCELLED": SessionStatus.cancelled}


class CalendarImportError(ValueError):
    """A file or a choice the importer refuses; `code`, `line` and `uid` say where."""

    def __init__(self, code: str, detail: object = "", *, line=None, uid=None):
        super().__init__(code, detail, line, uid)
        self.code, self.detail, self.line, self.uid = code, str(detail), line, uid


@dataclass
class MeetingPlan:
    kind: str  # create, change, cancel, reopen, same
    recurrence_id: str
    starts_at: datetime
    ends_at: datetime
    place: str
    meeting: Meeting | None = None
    before: tuple[datetime, datetime, str] | None = None


@dataclass
class SessionPlan:
    key: str
    event: ParsedEvent | None
    kind: str  # create, change, cancel, same, skip
    course_session: CourseSession | None = None
    course: Course | None = None
    choice: str = NEW
    category: Category | None = None
    status: SessionStatus = SessionStatus.open
    location: str = ""
    capacity: int = 0
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    meetings: list[MeetingPlan] = field(default_factory=list)

    @property
    def uid(self) -> str:
        return self.event.uid if self.event else self.course_session.provider_uid

    @property
    def booked(self) -> int:
        return self.course_session.seats_taken if self.course_session else 0

    @property
    def moved(self) -> bool:
        return any(m.kind != "same" for m in self.meetings) or bool(self.changes)


@dataclass
class ImportPlan:
    provider: Provider
    sessions: list[SessionPlan]
    courses: list[Course]

    def of_kind(self, kind: str) -> list[SessionPlan]:
        return [p for p in self.sessions if p.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        kinds = ("create", "change", "cancel", "same", "skip")
        return {k: len(self.of_kind(k)) for k in kinds}


def choice_key(uid: str) -> str:
    """The preview form's field name for an event's course choice."""
    return "course_" + hashlib.sha256(uid.encode()).hexdigest()[:16]


def instants(occurrence: Occurrence) -> tuple[datetime, datetime]:
    """UTC start and end; an all-day event runs from local midnight to midnight."""
    start, end = occurrence.start, occurrence.end
    if not isinstance(start, datetime):
        start = datetime.combine(start, time(0), COPENHAGEN)
    if not isinstance(end, datetime):
        end = datetime.combine(end, time(0), COPENHAGEN)
    return start.astimezone(UTC), end.astimezone(UTC)


def _provider_courses(provider: Provider) -> list[Course]:
    return db.session.scalars(
        sa.select(Course)
        .where(Course.provider_id == provider.id, Course.archived_at.is_(None))
        .order_by(Course.title)
    ).all()


def _imported_sessions(provider: Provider) -> dict[str, CourseSession]:
    found = db.session.scalars(
        sa.select(CourseSession)
        .join(CourseSession.course)
        .where(
            Course.provider_id == provider.id, CourseSession.provider_uid.is_not(None)
        )
        .options(
            selectinload(CourseSession.meetings), selectinload(CourseSession.course)
        )
    ).all()
    return {cs.provider_uid: cs for cs in found}


def suggest_course(
    event: ParsedEvent, courses: list[Course], categories
) -> Course | None:
    """The provider's course that the event most likely is: same title, a course
    title contained in the summary, or the only course in the event's category."""
    summary = event.summary.casefold().strip()
    for course in courses:
        if course.title.casefold().strip() == summary:
            return course
    contained = [c for c in courses if c.title.casefold() in summary]
    if contained:
        return max(contained, key=lambda c: len(c.title))
    wanted = {c.casefold() for c in event.categories}
    ids = {cat.id for cat in categories if {cat.title.casefold(), cat.key} & wanted}
    in_category = [c for c in courses if c.category_id in ids]
    return in_category[0] if len(in_category) == 1 else None


def _category_of(event: ParsedEvent, categories) -> Category | None:
    wanted = {c.casefold() for c in event.categories}
    return next((c for c in categories if {c.title.casefold(), c.key} & wanted), None)


def build_plan(
    provider: Provider,
    events: list[ParsedEvent],
    choices: dict[str, str] | None = None,
    *,
    replace_all: bool = False,
    now: datetime | None = None,
) -> ImportPlan:
    """What applying the file would do; reads the database, changes nothing."""
    courses = _provider_courses(provider)
    by_id = {str(c.id): c for c in courses}
    categories = db.session.scalars(sa.select(Category)).all()
    existing = _imported_sessions(provider)
    plans = []
    for event in events:
        key = choice_key(event.uid)
        current = existing.get(event.uid)
        if current is not None:
            plans.append(_plan_existing(key, event, current))
            continue
        plan = _plan_new(key, event, provider)
        suggested = suggest_course(event, courses, categories)
        plan.choice = (choices or {}).get(key) or (
            str(suggested.id) if suggested else NEW
        )
        if plan.choice not in (NEW, SKIP) and plan.choice not in by_id:
            raise CalendarImportError(
                "bad_course_choice", line=event.line, uid=event.uid
            )
        plan.course = by_id.get(plan.choice)
        plan.category = _category_of(event, categories)
        if plan.choice == SKIP:
            plan.kind = "skip"
        plans.append(plan)
    if replace_all:
        plans += _plan_missing(existing, {e.uid for e in events}, now or utcnow())
    return ImportPlan(provider, plans, courses)


def _plan_new(key: str, event: ParsedEvent, provider: Provider) -> SessionPlan:
    status = _STATUS.get(event.status, SessionStatus.open)
    meetings = [
        MeetingPlan("create", o.recurrence_id, *instants(o), o.location[:300])
        for o in event.occurrences
        if o.status != "CANCELLED"
    ]
    kind = "create" if meetings and status is not SessionStatus.cancelled else "skip"
    capacity = provider.default_capacity if event.capacity is None else event.capacity
    return SessionPlan(
        key,
        event,
        kind,
        status=status,
        location=event.location[:300],
        capacity=capacity,
        meetings=meetings,
    )


def _plan_existing(key: str, event: ParsedEvent, current: CourseSession) -> SessionPlan:
    plan = SessionPlan(
        key,
        event,
        "same",
        course_session=current,
        course=current.course,
        choice=str(current.course_id),
        status=current.status,
        location=event.location[:300],
        capacity=current.capacity,
    )
    if current.status is SessionStatus.cancelled:
        return plan  # a cancelled session is never brought back by a file
    status = _STATUS.get(event.status, SessionStatus.open)
    plan.meetings = _meeting_changes(event, current)
    live = [
        m for m in plan.meetings if m.kind in ("create", "change", "reopen", "same")
    ]
    if status is SessionStatus.cancelled or not live:
        plan.kind, plan.status = "cancel", SessionStatus.cancelled
        return plan
    if current.location != plan.location:
        plan.changes.append(("location", current.location, plan.location))
    if status is not current.status:
        plan.changes.append(("status", current.status.value, status.value))
        plan.status = status
    if event.capacity is not None and event.capacity != current.capacity:
        if event.capacity < current.seats_taken:
            raise CalendarImportError(
                "capacity_below_taken",
                current.seats_taken,
                line=event.line,
                uid=event.uid,
            )
        plan.changes.append(("capacity", str(current.capacity), str(event.capacity)))
        plan.capacity = event.capacity
    plan.kind = "change" if plan.moved else "same"
    return plan


def _meeting_changes(event: ParsedEvent, current: CourseSession) -> list[MeetingPlan]:
    ours = {m.recurrence_id or "": m for m in current.meetings}
    found = []
    for occurrence in event.occurrences:
        rid = occurrence.recurrence_id
        start, end = instants(occurrence)
        place = occurrence.location[:300]
        meeting = ours.pop(rid, None)
        cancelled = occurrence.status == "CANCELLED"
        if meeting is None:
            if not cancelled:
                found.append(MeetingPlan("create", rid, start, end, place))
            continue
        before = (meeting.starts_at, meeting.ends_at, meeting.place)
        if cancelled:
            kind = "same" if meeting.cancelled else "cancel"
        elif meeting.cancelled:
            kind = "reopen"
        else:
            kind = "same" if before == (start, end, place) else "change"
        found.append(MeetingPlan(kind, rid, start, end, place, meeting, before))
    gone = sorted(
        (m for m in ours.values() if not m.cancelled), key=lambda m: m.starts_at
    )
    fresh = sorted((p for p in found if p.kind == "create"), key=lambda p: p.starts_at)
    # A series whose DTSTART moved gets new RECURRENCE-IDs for every instance:
    # pair the instances that vanished with the new ones in date order, so the
    # meetings (and their calendar UIDs) move instead of being replaced.
    for meeting, plan in zip(gone, fresh, strict=False):
        plan.kind, plan.meeting = "change", meeting
        plan.before = (meeting.starts_at, meeting.ends_at, meeting.place)
    # Instances gone from the file (an EXDATE, a shorter rule) are cancelled.
    for meeting in gone[len(fresh) :]:
        found.append(
            MeetingPlan(
                "cancel",
                meeting.recurrence_id or "",
                meeting.starts_at,
                meeting.ends_at,
                meeting.place,
                meeting,
            )
        )
    return sorted(found, key=lambda p: p.starts_at)


def _plan_missing(existing, uids: set[str], now: datetime) -> list[SessionPlan]:
    return [
        SessionPlan(
            choice_key(uid),
            None,
            "cancel",
            course_session=cs,
            course=cs.course,
            status=SessionStatus.cancelled,
        )
        for uid, cs in existing.items()
        if uid not in uids
        and cs.status is not SessionStatus.cancelled
        and (cs.ends_at is None or cs.ends_at > now)
    ]
