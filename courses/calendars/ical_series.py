"""One UID's VEVENTs as one series of meetings (RFC 5545 3.8.4.4, 3.8.5).

The main event's DTSTART, RRULE and RDATE give the instances, EXDATE takes some
away, and each override (RECURRENCE-ID) replaces its instance; with
RANGE=THISANDFUTURE, or with an RRULE of its own (a series split by "this and
following"), it takes over every later instance too. A recurring series is
expanded in a window, from today (or its first instance) to the horizon, and
capped after EXDATE; a series the window or the cap cuts says where.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil.rrule import rrulestr

from courses.calendars.ical import COPENHAGEN
from courses.calendars.ical_lines import ICalError

_RULE_PART_NAMES = (
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "WKST",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
)
_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_YEAR = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of an event: Copenhagen times, or dates when all-day."""

    recurrence_id: str
    start: datetime | date
    end: datetime | date
    status: str
    location: str

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """Everything the file says about one UID: a single event or a whole series.

    `cut_after` is the last date imported when the horizon or the cap on
    meetings cut a longer series short (None when nothing was cut).
    """

    uid: str
    summary: str
    description: str
    location: str
    url: str
    status: str
    sequence: int
    categories: tuple[str, ...]
    capacity: int | None
    all_day: bool
    floating: bool
    occurrences: tuple[Occurrence, ...]
    line: int | None
    cut_after: date | None = None
    no_length: int = 0  # meetings left out for having no length (see imports)


@dataclass(frozen=True, slots=True)
class Window:
    """Where a recurring series is expanded: from `since` (naive wall time, None
    for the series' own start) for `horizon`, at most `limit` meetings."""

    since: datetime | None
    horizon: timedelta
    limit: int


def expand_rule(rule, first: datetime, last: datetime, limit: int, wall, since=None):
    """The naive wall-clock starts of an RRULE from `first` up to `last`; only
    starts from `since` on are kept and count towards `limit`."""
    try:
        return _expand(rule, first, last, limit, wall, since or first)
    except Exception as exc:  # dateutil, and date arithmetic on a year-1 UNTIL
        raise ValueError(str(exc)) from exc


def _expand(rule, first, last, limit, wall, since) -> list[datetime]:
    parts = {str(k).upper(): v for k, v in rule.items()}
    unknown = [part for part in parts if part not in _RULE_PART_NAMES]
    if unknown:
        raise ValueError(f"unsupported {unknown}")
    if str(parts.get("FREQ", [""])[0]).upper() not in _FREQUENCIES:
        raise ValueError(f"unsupported FREQ {parts.get('FREQ')}")
    if int(parts.get("INTERVAL", [1])[0]) < 1:
        raise ValueError("INTERVAL must be positive")  # dateutil would loop forever
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("COUNT and UNTIL together")
    trimmed = rule.copy()
    trimmed.pop("UNTIL", None)
    # dateutil walks a rule that never matches up to year 9999; the Gregorian
    # calendar (weekdays too) repeats every 400 years, so run it near the end.
    shift = 400 * ((9998 - last.year) // 400)
    recurrence = rrulestr(trimmed.to_ical().decode(), dtstart=_years(first, shift))
    if "UNTIL" in parts:
        until = min(wall(parts["UNTIL"][0]), last)
        recurrence = recurrence.replace(until=_years(until, shift))
    found: list[datetime] = []
    for when in recurrence:
        when = _years(when, -shift)
        if when > last or len(found) >= limit:
            break
        if when >= since:
            found.append(when)
    return found


def _years(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years)


def series(uid: str, events: list, window: Window) -> ParsedEvent:
    """The events of one UID (the file's _Event objects) as one ParsedEvent."""
    masters = _latest(uid, [e for e in events if e.recurrence_id is None], uid)
    main = masters[0] if masters else min(events, key=lambda e: _sort_key(e.start))
    by_rid: dict[str, list] = {}
    for event in events:
        if event.recurrence_id is not None:
            rid = _recurrence_id(event.recurrence_id, main)
            by_rid.setdefault(rid, []).append(event)
    overrides = {rid: _latest(uid, found, rid)[0] for rid, found in by_rid.items()}
    found = _Found(main)
    cut = None
    if masters:
        recurring = bool(main.rules or main.rdates or overrides)
        starts, cut = _starts(main, window)
        for start, length in starts:
            rid = _recurrence_id(start, main) if recurring else ""
            found.put(
                rid, _wall(start, main), _occurrence(rid, start, main, main, length)
            )
    ordered = sorted(overrides.items(), key=lambda kv: _wall(kv[1].recurrence_id, main))
    # Splits first (their instances may be overridden one by one), then ranges.
    for rid, event in ordered:
        if event.rules:
            cut = _split(found, rid, event, window)  # it takes over the rest
    for rid, event in ordered:
        if event.range_future and not event.rules:
            _shift_later(found, rid, event)
    for rid, event in ordered:
        if not event.rules and not _before(window, event, main):
            origin = _wall(event.recurrence_id, main)
            found.put(rid, origin, _occurrence(rid, event.start, event, main))
    return ParsedEvent(
        uid=uid,
        summary=main.summary,
        description=main.description,
        location=main.location,
        url=main.url,
        status=main.status,
        sequence=max(e.sequence for e in events),
        categories=main.categories,
        capacity=main.capacity,
        all_day=main.all_day,
        floating=any(e.floating for e in events),
        occurrences=tuple(sorted(found.occurrences.values(), key=_occurrence_key)),
        line=main.line,
        cut_after=cut,
    )


def _latest(uid: str, events: list, what: str) -> list:
    """Of the events that describe the same thing, the one with the highest
    SEQUENCE (RFC 5545 3.8.7.4: an edited copy left beside the original); two
    at the same SEQUENCE are ambiguous."""
    if len(events) < 2:
        return events
    ordered = sorted(events, key=lambda e: e.sequence, reverse=True)
    if ordered[0].sequence == ordered[1].sequence:
        raise ICalError("duplicate_uid", what, uid=uid, line=ordered[1].line)
    return ordered[:1]


class _Found:
    """Occurrences by RECURRENCE-ID, each with its original wall-clock start."""

    def __init__(self, main) -> None:
        self.main = main
        self.occurrences: dict[str, Occurrence] = {}
        self.origins: dict[str, datetime] = {}

    def put(self, rid: str, origin: datetime, occurrence: Occurrence) -> None:
        self.occurrences[rid] = occurrence
        self.origins[rid] = origin

    def from_on(self, origin: datetime) -> list[str]:
        return [rid for rid, wall in self.origins.items() if wall >= origin]

    def drop(self, rid: str) -> None:
        self.occurrences.pop(rid, None)
        self.origins.pop(rid, None)


def _split(found: _Found, rid: str, event, window: Window) -> date | None:
    """An override with its own RRULE: the series from its RECURRENCE-ID on is
    replaced by the override's own instances. Returns where its window cut it."""
    main = found.main
    for later in found.from_on(_wall(event.recurrence_id, main)):
        found.drop(later)
    starts, cut = _starts(event, window)
    for start, length in starts:
        key = _recurrence_id(start, main)
        found.put(key, _wall(start, main), _occurrence(key, start, event, main, length))
    return cut


def _shift_later(found: _Found, rid: str, event) -> None:
    """RANGE=THISANDFUTURE (RFC 5545 3.2.13): the override's move and length
    apply to its instance and every later one."""
    main = found.main
    origin = _wall(event.recurrence_id, main)
    moved = _wall(event.start, main) - origin
    for later in found.from_on(origin):
        wall = found.origins[later] + moved
        start = wall.date() if main.all_day else wall.replace(tzinfo=main.zone)
        if not isinstance(event.start, datetime):
            start = wall.date()
        found.put(later, found.origins[later], _occurrence(later, start, event, main))


def _before(window: Window, event, main) -> bool:
    """An override of an instance before the window that stays before it."""
    if window.since is None:
        return False
    return max(_wall(event.recurrence_id, main), _wall(event.start, main)) < (
        window.since
    )


def _starts(event, window: Window) -> tuple[list, date | None]:
    """DTSTART, RRULE and RDATE instances minus EXDATE, in the event's own zone,
    each with its own length (an RDATE PERIOD's), and the date after which the
    window or the cap cut the series (None when it did not)."""
    first = _wall(event.start, event)
    if not (event.rules or event.rdates):
        return [(event.start, None)], None
    since = max(first, window.since) if window.since else first
    last = since + window.horizon
    probe = last + min(window.horizon, _YEAR)  # does the series go on after it?
    budget = window.limit + len(event.exdates) + 1
    found: dict[datetime, timedelta | None] = {}
    if first >= since:
        found[first] = None
    for rule in event.rules:
        wall = lambda v: _wall(v, event)  # noqa: E731
        try:
            for when in expand_rule(rule, first, probe, budget, wall, since):
                found.setdefault(when, None)
        except ValueError as exc:
            raise event.error("bad_rrule", exc, "RRULE") from exc
    for value, length in event.rdates:
        when = _wall(value, event)
        if since <= when <= probe:
            found[when] = length
    excluded = {_wall(d, event) for d in event.exdates}
    excluded_days = {d for d in event.exdates if not isinstance(d, datetime)}
    kept = sorted(
        w for w in found if w not in excluded and w.date() not in excluded_days
    )
    inside = [w for w in kept if w <= last]
    taken = inside[: window.limit]
    cut = taken[-1].date() if taken and len(taken) < len(kept) else None
    if event.all_day:
        return [(w.date(), found[w]) for w in taken], cut
    return [(w.replace(tzinfo=event.zone), found[w]) for w in taken], cut


def _wall(value: datetime | date, event) -> datetime:
    """Naive wall-clock time in the event's own zone, where recurrence happens.

    For an all-day series a date-time (a RECURRENCE-ID with a TZID) is read as
    the day in its own zone, not in Copenhagen.
    """
    if isinstance(value, datetime):
        if event.all_day:
            return datetime.combine(value.date(), datetime.min.time())
        if value.tzinfo is None:  # a floating UNTIL
            return value
        return value.astimezone(event.zone).replace(tzinfo=None)
    if event.all_day:
        return datetime.combine(value, datetime.min.time())
    return datetime.combine(value, event.start.time())


def _recurrence_id(value: datetime | date, event) -> str:
    if event.all_day:
        return _wall(value, event).date().isoformat()
    moment = _wall(value, event).replace(tzinfo=event.zone).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _occurrence(
    rid: str, start, event, main, length: timedelta | None = None
) -> Occurrence:
    duration = event.duration if length is None else length
    if isinstance(start, datetime):
        end = (start.astimezone(UTC) + duration).astimezone(COPENHAGEN)
        start = start.astimezone(COPENHAGEN)
    else:
        end = start + timedelta(days=max(duration.days, 1))
    # An override may leave out what it does not change; the series supplies it.
    return Occurrence(rid, start, end, event.status, event.location or main.location)


def _occurrence_key(occurrence: Occurrence) -> datetime:
    return _sort_key(occurrence.start)


def _sort_key(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, datetime.min.time(), COPENHAGEN).astimezone(UTC)
