"""Operations on course sessions and their meetings; they flush, the caller commits."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from core.audit import record
from core.clock import local_date
from core.db import db, utcnow
from core.numbers import PRICE, NumberError
from core.people.models import User
from courses.catalogue.models import Course
from courses.sessions.errors import LocalTimeError, SessionError, raise_all
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from courses.sessions.timing import (
    FIRST_YEAR,
    LAST_YEAR,
    end_of_local_day,
    holiday_name,
    local_instant,
)
from courses.signals import (
    session_cancelled,
    session_capacity_changed,
    session_changed,
)


@dataclass(frozen=True)
class MeetingInput:
    """One meeting as a provider types it: a Danish date and local start and end."""

    day: date
    start: time
    end: time
    place: str = ""
    title: str = ""

    def instants(self) -> tuple[datetime, datetime]:
        if not FIRST_YEAR <= self.day.year <= LAST_YEAR:
            raise SessionError("date_out_of_range", "day")
        if self.end <= self.start:
            raise SessionError("meeting_ends_before_start", "end")
        name = holiday_name(self.day)
        if name:
            raise SessionError("holiday", "day", day=self.day, name=name)
        try:
            return local_instant(self.day, self.start), local_instant(
                self.day, self.end
            )
        except LocalTimeError as exc:
            raise SessionError(exc.code, "start") from exc


SESSION_FIELDS = (
    "capacity",
    "min_participants",
    "price_state",
    "price_municipal",
    "booking_deadline",
    "cancellation_deadline",
    "location",
    "online_url",
    "status",
)
# Changes to these move or relocate the session in people's calendars.
CALENDAR_FIELDS = ("location", "online_url", "status")


def _price(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return PRICE.check(value, rounding=True)
    except NumberError as exc:
        raise SessionError(f"price_{exc.code}", field) from exc


def _deadline(value, field: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise SessionError("date_out_of_range", field)
    return end_of_local_day(value)


def _check(values: dict, seats_taken: int) -> dict:
    """The values, cleaned; every refusal at once (CombinedSessionError)."""
    errors = []
    capacity = values["capacity"]
    if capacity is None or capacity < 0:
        errors.append(SessionError("capacity_negative", "capacity"))
        capacity = None
    elif capacity < seats_taken:
        errors.append(
            SessionError("capacity_below_taken", "capacity", taken=seats_taken)
        )
    minimum = values.get("min_participants") or 0
    if minimum < 0 or (capacity is not None and minimum > capacity):
        errors.append(SessionError("minimum_out_of_range", "min_participants"))
    values["min_participants"] = minimum
    for field in ("price_state", "price_municipal"):
        values[field] = _collect(errors, _price, values.get(field), field)
    for field in ("booking_deadline", "cancellation_deadline"):
        values[field] = _collect(errors, _deadline, values.get(field), field)
    values["location"] = (values.get("location") or "").strip()[:300]
    values["online_url"] = (values.get("online_url") or "").strip()[:500]
    if values.get("status") is SessionStatus.cancelled:
        errors.append(SessionError("use_cancel", "status"))
    raise_all(errors)
    return values


def _collect(errors: list, check, value, field: str):
    try:
        return check(value, field)
    except SessionError as exc:
        errors.append(exc)
        return None


# A deadline further ahead of the course than this is a mistyped year.
DEADLINE_LEAD = timedelta(days=366)


def deadline_errors(first: datetime, deadlines: dict[str, datetime | None]) -> list:
    """What is wrong with deadlines (end of their Danish day) for a session
    whose first course day starts at `first`: after it, or a year before it."""
    errors = []
    for field, deadline in deadlines.items():
        if deadline is None:
            continue
        if deadline > first:
            errors.append(SessionError("deadline_after_start", field))
        elif deadline < first - DEADLINE_LEAD:
            errors.append(
                SessionError("deadline_too_early", field, day=local_date(first))
            )
    return errors


def _check_deadlines(course_session: CourseSession) -> None:
    first = course_session.starts_at
    if first is None:
        return
    fields = ("booking_deadline", "cancellation_deadline")
    raise_all(deadline_errors(first, {f: getattr(course_session, f) for f in fields}))


def _refresh_span(course_session: CourseSession) -> None:
    """Keep the session's first start and last end in step with its live meetings."""
    live = [m for m in course_session.meetings if not m.cancelled]
    course_session.starts_at = min((m.starts_at for m in live), default=None)
    course_session.ends_at = max((m.ends_at for m in live), default=None)


def _check_overlaps(course_session: CourseSession) -> None:
    live = sorted(
        (m for m in course_session.meetings if not m.cancelled),
        key=lambda m: m.starts_at,
    )
    for earlier, later in zip(live, live[1:], strict=False):
        if later.starts_at < earlier.ends_at:
            raise SessionError("meetings_overlap", "day")


def _snapshot(course_session: CourseSession) -> dict:
    return {
        field: str(getattr(course_session, field).value)
        if field == "status"
        else str(getattr(course_session, field))
        for field in SESSION_FIELDS
    }


def _new_meeting(course_session: CourseSession, data: MeetingInput) -> Meeting:
    starts_at, ends_at = data.instants()
    meeting = Meeting(
        starts_at=starts_at,
        ends_at=ends_at,
        place=data.place.strip()[:300],
        title=data.title.strip()[:200],
    )
    course_session.meetings.append(meeting)
    return meeting


def create_session(
    actor: User | None,
    course: Course,
    *,
    meetings: Sequence[MeetingInput],
    capacity: int | None = None,
    status: SessionStatus = SessionStatus.open,
    **fields,
) -> CourseSession:
    """Schedule a new run of `course` with at least one meeting."""
    if course.archived_at is not None:
        raise SessionError("course_archived")
    if not meetings:
        raise SessionError("no_meetings", "day")
    if capacity is None:
        capacity = course.provider.default_capacity
    values = _check({**fields, "capacity": capacity, "status": status}, 0)
    course_session = CourseSession(course=course, **values)
    for data in meetings:
        _new_meeting(course_session, data)
    _check_overlaps(course_session)
    _refresh_span(course_session)
    _check_deadlines(course_session)
    db.session.add(course_session)
    db.session.flush()
    record(
        actor, "course_session.create", course_session, after=_snapshot(course_session)
    )
    return course_session


def _editable(course_session: CourseSession) -> None:
    if course_session.status is SessionStatus.cancelled:
        raise SessionError("session_cancelled")


def _changed(course_session: CourseSession) -> None:
    course_session.sequence += 1
    db.session.flush()
    session_changed.send(course_session)


def update_session(
    actor: User | None, course_session: CourseSession, **changes
) -> CourseSession:
    """Change capacity, prices, deadlines, place or status (not to cancelled)."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    _editable(course_session)
    before = _snapshot(course_session)
    current = {field: getattr(course_session, field) for field in SESSION_FIELDS}
    values = _check({**current, **changes}, course_session.seats_taken)
    moved = any(values[f] != current[f] for f in CALENDAR_FIELDS)
    capacity = values.pop("capacity")
    resized = capacity != current["capacity"]
    if resized and not set_capacity_if_room(course_session, capacity):
        taken = course_session.seats_taken
        raise SessionError("capacity_below_taken", "capacity", taken=taken)
    for field, value in values.items():
        setattr(course_session, field, value)
    _check_deadlines(course_session)
    after = _snapshot(course_session)
    if after == before:
        return course_session
    record(actor, "course_session.update", course_session, before=before, after=after)
    if moved:
        _changed(course_session)
    else:
        db.session.flush()
    if resized:
        session_capacity_changed.send(course_session)
    return course_session


def set_capacity_if_room(course_session: CourseSession, capacity: int) -> bool:
    """One conditional UPDATE, so a booking made meanwhile can never be squeezed
    out: False (nothing changed) when more seats than `capacity` are taken."""
    changed = db.session.execute(
        sa.update(CourseSession)
        .where(
            CourseSession.id == course_session.id,
            CourseSession.seats_taken <= capacity,
        )
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(course_session, ["capacity", "seats_taken"])
    return bool(changed)


def cancel_session(
    actor: User | None, course_session: CourseSession, *, reason: str
) -> CourseSession:
    """Cancel the session; its meetings stay, marked cancelled, for the calendars.
    Everyone booked is told `reason`, so it may not be empty."""
    reason = (reason or "").strip()
    if not reason:
        raise SessionError("reason_missing", "reason")
    _editable(course_session)
    course_session.status = SessionStatus.cancelled
    course_session.cancelled_at = utcnow()
    course_session.sequence += 1
    for meeting in course_session.meetings:
        if not meeting.cancelled:
            meeting.cancelled = True
            meeting.sequence += 1
    db.session.flush()
    record(actor, "course_session.cancel", course_session, reason=reason)
    session_cancelled.send(course_session, reason=reason)
    return course_session


def add_meeting(
    actor: User | None, course_session: CourseSession, data: MeetingInput
) -> Meeting:
    """Add a meeting (a teaching day) to a session."""
    _editable(course_session)
    meeting = _new_meeting(course_session, data)
    _check_overlaps(course_session)
    _refresh_span(course_session)
    _check_deadlines(course_session)
    db.session.flush()
    record(
        actor, "meeting.create", meeting, after={"starts_at": str(meeting.starts_at)}
    )
    _changed(course_session)
    return meeting


def update_meeting(actor: User | None, meeting: Meeting, data: MeetingInput) -> Meeting:
    """Move a meeting or change its place; its calendar sequence rises."""
    course_session = meeting.course_session
    _editable(course_session)
    if meeting.cancelled:
        raise SessionError("meeting_cancelled")
    starts_at, ends_at = data.instants()
    before = {"starts_at": str(meeting.starts_at), "place": meeting.place}
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.all_day = False  # the provider gave it clock times
    meeting.place = data.place.strip()[:300]
    meeting.title = data.title.strip()[:200]
    _check_overlaps(course_session)
    _refresh_span(course_session)
    _check_deadlines(course_session)
    meeting.sequence += 1
    record(
        actor,
        "meeting.update",
        meeting,
        before=before,
        after={"starts_at": str(meeting.starts_at), "place": meeting.place},
    )
    _changed(course_session)
    return meeting


def cancel_meeting(actor: User | None, meeting: Meeting) -> Meeting:
    """Cancel one meeting; the last live meeting cannot go (cancel the session)."""
    course_session = meeting.course_session
    _editable(course_session)
    if meeting.cancelled:
        return meeting
    live = [m for m in course_session.meetings if not m.cancelled]
    if len(live) <= 1:
        raise SessionError("last_meeting")
    meeting.cancelled = True
    meeting.sequence += 1
    _refresh_span(course_session)
    record(actor, "meeting.cancel", meeting)
    _changed(course_session)
    return meeting


def upcoming_sessions(courses: Iterable[Course], *, now: datetime | None = None):
    """A select of the courses' sessions that are not cancelled and not yet over."""
    of_courses = CourseSession.course_id.in_([c.id for c in courses])
    return _upcoming(of_courses, now or utcnow())


def course_upcoming_sessions() -> sa.Select:
    """upcoming_sessions of one course, with the course and the moment as bound
    values ("course_id", "now"), for a statement built once per process."""
    return _upcoming(
        CourseSession.course_id == sa.bindparam("course_id"), sa.bindparam("now")
    )


def _upcoming(of_courses, now) -> sa.Select:
    return (
        sa.select(CourseSession)
        .where(
            of_courses,
            CourseSession.status != SessionStatus.cancelled,
            CourseSession.ends_at > now,
        )
        .order_by(CourseSession.starts_at, CourseSession.id)
    )
