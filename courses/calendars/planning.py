"""What importing a calendar file would do: a plan per event, read from the
database without changing it. Events are matched on (provider, UID, RECURRENCE-ID)."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core import clock
from core.db import db, utcnow
from courses.calendars.errors import CalendarImportError
from courses.calendars.ical import COPENHAGEN
from courses.calendars.ical_parse import Occurrence, ParsedEvent
from courses.catalogue.models import Category, Course, Provider
from courses.sessions.models import CourseSession, Meeting, SessionStatus

NEW, SKIP = "new", "skip"
# New events are matched to courses in groups: those with the same category, or
# (without a category, or when the provider asks for it) the same title.
BY_CATEGORY, BY_TITLE = "category", "title"
_STATUS = {"TENTATIVE": SessionStatus.planned, "CANCELLED": SessionStatus.cancelled}


@dataclass
class MeetingPlan:
    kind: str  # create, change, cancel, reopen, same
    recurrence_id: str
    starts_at: datetime
    ends_at: datetime
    place: str
    all_day: bool = False
    meeting: Meeting | None = None
    before: tuple[datetime, datetime, str] | None = None


@dataclass
class SessionPlan:
    event: ParsedEvent | None
    kind: str  # create, change, cancel, same, skip
    course_session: CourseSession | None = None
    course: Course | None = None
    choice: str = NEW
    category: Category | None = None
    group: "CourseChoice | None" = None  # for a new session: how its course is chosen
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
    def first_start(self) -> datetime | None:
        return min((m.starts_at for m in self.meetings), default=None)

    @property
    def moved(self) -> bool:
        return any(m.kind != "same" for m in self.meetings) or bool(self.changes)


@dataclass
class CourseChoice:
    """New sessions that share a category or a title, and the course they go to."""

    key: str  # the preview form's field name
    by: str  # BY_CATEGORY or BY_TITLE
    label: str  # the category or title as the file first writes it
    sessions: list[SessionPlan] = field(default_factory=list)
    choice: str = NEW
    course: Course | None = None

    @property
    def titles(self) -> list[str]:
        """The distinct titles of the group: the new courses that NEW would make."""
        found = {new_course_title(p.event).casefold(): p for p in self.sessions}
        return [new_course_title(p.event) for p in found.values()]


@dataclass
class ImportPlan:
    provider: Provider
    sessions: list[SessionPlan]
    courses: list[Course]
    group_by: str = BY_TITLE
    choices: list[CourseChoice] = field(default_factory=list)
    has_categories: bool = False  # whether grouping by category differs from title
    # The courses applying it made: drafts, for the provider to check and publish.
    new_courses: list[Course] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[SessionPlan]:
        return [p for p in self.sessions if p.kind == kind]

    @property
    def counts(self) -> dict[str, int]:
        kinds = ("create", "change", "cancel", "same", "skip")
        return {k: len(self.of_kind(k)) for k in kinds}


def choice_key(by: str, label: str) -> str:
    """The preview form's field name for a group's course choice."""
    name = f"{by}:{label.casefold()}"
    return "course_" + hashlib.sha256(name.encode()).hexdigest()[:16]


def new_course_title(event: ParsedEvent) -> str:
    """The title of the course an event makes when the provider picks NEW."""
    return (event.summary.strip() or event.uid)[:300]


def _group_of(event: ParsedEvent, group_by: str) -> tuple[str, str]:
    if group_by == BY_CATEGORY and event.categories:
        return BY_CATEGORY, event.categories[0]
    return BY_TITLE, new_course_title(event)


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
    group_by: str | None = None,
    replace_all: bool = False,
    now: datetime | None = None,
) -> ImportPlan:
    """What applying the file would do; reads the database, changes nothing.

    `choices` maps a CourseChoice's key to NEW, SKIP or a course id; a group
    without one gets the suggested course. `group_by` None groups by category
    when any new event has one.
    """
    courses = _provider_courses(provider)
    categories = db.session.scalars(sa.select(Category)).all()
    # A series is read from today on: meetings before it stay as they are.
    since = datetime.combine(clock.today(), time(0), COPENHAGEN).astimezone(UTC)
    existing = _imported_sessions(provider)
    plans, fresh = [], []
    for event in events:
        current = existing.get(event.uid)
        if current is not None:
            plans.append(_plan_existing(event, current, since))
            continue
        plan = _plan_new(event, provider)
        plan.category = _category_of(event, categories)
        plans.append(plan)
        if plan.kind == "create":
            fresh.append(plan)
    has_categories = any(p.event.categories for p in fresh)
    if group_by not in (BY_CATEGORY, BY_TITLE):
        group_by = BY_CATEGORY if has_categories else BY_TITLE
    groups = _choose_courses(fresh, group_by, choices or {}, courses, categories)
    if replace_all:
        plans += _plan_missing(existing, {e.uid for e in events}, now or utcnow())
    return ImportPlan(provider, plans, courses, group_by, groups, has_categories)


def _choose_courses(
    fresh: list[SessionPlan], group_by: str, choices, courses, categories
) -> list[CourseChoice]:
    groups: dict[str, CourseChoice] = {}
    for plan in fresh:
        by, label = _group_of(plan.event, group_by)
        key = choice_key(by, label)
        if key not in groups:
            groups[key] = CourseChoice(key, by, label)
        plan.group = groups[key]
        plan.group.sessions.append(plan)
    by_id = {str(c.id): c for c in courses}
    for group in groups.values():
        group.sessions.sort(key=lambda p: p.first_start)  # create: has meetings
        suggested = _suggest_for_group(group, courses, categories)
        group.choice = choices.get(group.key) or (
            str(suggested.id) if suggested else NEW
        )
        if group.choice not in (NEW, SKIP) and group.choice not in by_id:
            first = group.sessions[0].event
            raise CalendarImportError(
                "bad_course_choice", line=first.line, uid=first.uid
            )
        group.course = by_id.get(group.choice)
        for plan in group.sessions:
            plan.choice, plan.course = group.choice, group.course
            if group.choice == SKIP:
                plan.kind = "skip"
    return list(groups.values())


def _suggest_for_group(group: CourseChoice, courses, categories) -> Course | None:
    """A title group: the course suggest_course finds. A category group: the one
    course in that category, or the course every event in it points to."""
    if group.by == BY_TITLE:
        return suggest_course(group.sessions[0].event, courses, categories)
    wanted = group.label.casefold()
    ids = {c.id for c in categories if wanted in (c.title.casefold(), c.key)}
    in_category = [c for c in courses if c.category_id in ids]
    if len(in_category) == 1:
        return in_category[0]
    found = {suggest_course(p.event, courses, categories) for p in group.sessions}
    return found.pop() if len(found) == 1 else None


def _plan_new(event: ParsedEvent, provider: Provider) -> SessionPlan:
    status = _STATUS.get(event.status, SessionStatus.open)
    meetings = [
        MeetingPlan(
            "create", o.recurrence_id, *instants(o), o.location[:300], o.all_day
        )
        for o in event.occurrences
        if o.status != "CANCELLED"
    ]
    kind = "create" if meetings and status is not SessionStatus.cancelled else "skip"
    capacity = provider.default_capacity if event.capacity is None else event.capacity
    return SessionPlan(
        event,
        kind,
        status=status,
        location=event.location[:300],
        capacity=capacity,
        meetings=meetings,
    )


def _plan_existing(
    event: ParsedEvent, current: CourseSession, since: datetime
) -> SessionPlan:
    plan = SessionPlan(
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
    plan.meetings = _meeting_changes(event, current, since)
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
                detail=current.seats_taken,
                line=event.line,
                uid=event.uid,
            )
        plan.changes.append(("capacity", str(current.capacity), str(event.capacity)))
        plan.capacity = event.capacity
    plan.kind = "change" if plan.moved else "same"
    return plan


def _meeting_changes(
    event: ParsedEvent, current: CourseSession, since: datetime
) -> list[MeetingPlan]:
    """Each occurrence against the session's meetings. A meeting before `since`
    that the file no longer gives (a long series is read from today on) is
    left as it is."""
    ours = {m.recurrence_id or "": m for m in current.meetings}
    found = []
    for occurrence in event.occurrences:
        rid = occurrence.recurrence_id
        start, end = instants(occurrence)
        place = occurrence.location[:300]
        meeting = ours.pop(rid, None)
        cancelled = occurrence.status == "CANCELLED"
        all_day = occurrence.all_day
        if meeting is None:
            if not cancelled:
                found.append(MeetingPlan("create", rid, start, end, place, all_day))
            continue
        before = (meeting.starts_at, meeting.ends_at, meeting.place)
        if cancelled:
            kind = "same" if meeting.cancelled else "cancel"
        elif meeting.cancelled:
            kind = "reopen"
        elif before == (start, end, place) and meeting.all_day == all_day:
            kind = "same"
        else:
            kind = "change"
        found.append(
            MeetingPlan(kind, rid, start, end, place, all_day, meeting, before)
        )
    gone = sorted(
        (m for m in ours.values() if not m.cancelled and m.starts_at >= since),
        key=lambda m: m.starts_at,
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
                meeting.all_day,
                meeting,
            )
        )
    return sorted(found, key=lambda p: p.starts_at)


def _plan_missing(existing, uids: set[str], now: datetime) -> list[SessionPlan]:
    return [
        SessionPlan(
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
