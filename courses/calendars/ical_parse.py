"""Read uploaded iCalendar files into events and meetings; any defect: ICalError.

The file is split into components and content lines by our own scanner
(ical_lines.scan_content_lines), and only the properties an event uses are decoded,
each with icalendar's value type for it (dates, durations, RRULE, UTC offsets).
Building icalendar's whole component tree instead cost more than everything
else in an import together: parameters and values of every line, used or not,
in case-insensitive dictionaries.
"""

import re
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import partial

import icalendar
from dateutil.rrule import rrulestr

from courses.calendars.ical import COPENHAGEN, STATUSES
from courses.calendars.ical_lines import (
    MAX_YEAR,
    MIN_YEAR,
    Component,
    ContentLines,
    ICalError,
    Property,
    clean_text,
)
from courses.calendars.ical_lines import scan_content_lines as scan

STATUS_ALIASES = {"CANCELED": "CANCELLED"} | {s: s for s in STATUSES}
MAX_TOTAL_OCCURRENCES = 100_000
# Hostile files (rules that never match, slow custom zones) are cut off here.
TIME_BUDGET_SECONDS = 10.0
_TYPES = icalendar.Component.types_factory
_CAPACITY = re.compile(r"\s*(\d{1,9})\s*")
_WEB_URL = re.compile(r"https?://\S+", re.I)
# RFC 5545 3.3.11 escapes, and "\:" that some clients write although it has none.
_ESCAPE = re.compile(r"\\([\\;,:nN])")
_LIST_SPLIT = re.compile(r"\\.|,")  # an escape, or a comma that splits a list
_PARAMETER = re.compile(
    r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)'
)
_PARAMETER_VALUE = re.compile(r'(?:^|,)(?:"([^"]*)"|([^",]*))')
_DAY = timedelta(days=1)
_FOLD = re.compile(r"\r?\n[ \t]")
_HEAD_BYTES = 64 * 1024
_HEAD_LINE = re.compile(r"([^;:]*)([^:]*):?(.*)")
_LONGEST = timedelta(days=3660)  # longer is a typo, and would overflow datetime
_RULE_PART = re.compile(
    r"FREQ|UNTIL|COUNT|INTERVAL|WKST|BY(?:SECOND|MINUTE|HOUR|DAY|"
    r"MONTHDAY|YEARDAY|WEEKNO|MONTH|SETPOS)"
)
_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_ZONE_END = datetime(MAX_YEAR + 2, 1, 1)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of an event: Copenhagen times, or dates when all-day."""

    recurrence_id: str
    start: datetime | date
    end: datetime | date
    status: str
    location: str


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """Everything the file says about one UID: a single event or a whole series."""

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


def parse_calendar(
    data: bytes,
    *,
    max_bytes: int = 5_000_000,
    max_components: int = 10_000,
    horizon: timedelta = timedelta(days=3 * 365),
    max_occurrences: int = 1000,
) -> list[ParsedEvent]:
    """Read `data` into one ParsedEvent per UID, in file order, or raise ICalError."""
    lines = scan(data, max_bytes=max_bytes, max_components=max_components)
    zones = _Zones(lines)
    horizon = min(max(horizon, timedelta(0)), timedelta(days=100 * 366))
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    groups: dict[str, list[_Event]] = {}
    for component in lines.calendar.children:
        if component.name != "VEVENT":
            continue
        event = _Event(component, lines, zones)
        groups.setdefault(event.uid, []).append(event)
        if time.monotonic() > deadline:
            raise ICalError("too_complex", line=event.line, uid=event.uid)
    parsed, total = [], 0
    for uid, events in groups.items():
        parsed.append(_series(uid, events, horizon, max(max_occurrences, 0)))
        total += len(parsed[-1].occurrences)
        if total > MAX_TOTAL_OCCURRENCES:
            raise ICalError("too_many_occurrences", total, uid=uid, line=events[0].line)
        if time.monotonic() > deadline:
            raise ICalError("too_complex", line=events[0].line, uid=uid)
    return parsed


def refresh_interval(data: bytes) -> timedelta | None:
    """How often the file asks to be read again: RFC 7986 REFRESH-INTERVAL, or
    the older X-PUBLISHED-TTL. Calendar properties come before the first
    component (RFC 5545 3.4), so only the head is read. None when the file
    gives no usable interval."""
    text = _FOLD.sub("", data[:_HEAD_BYTES].decode("utf-8", errors="replace"))
    found: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        name, params, value = _HEAD_LINE.match(line).groups()
        if name.upper() == "BEGIN":
            break
        found.setdefault(name.upper(), value if '"' not in params else "")
    for name in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        try:
            interval = _TYPES.for_property("DURATION").from_ical(found.get(name, ""))
        except (ValueError, TypeError, IndexError):
            continue
        if isinstance(interval, timedelta) and interval > timedelta(0):
            return interval
    return None


def expand_rule(rule, first: datetime, last: datetime, limit: int, wall) -> list:
    """The naive wall-clock starts of an RRULE from `first` up to `last`."""
    try:
        return _expand(rule, first, last, limit, wall)
    except Exception as exc:  # dateutil, and date arithmetic on a year-1 UNTIL
        raise ValueError(str(exc)) from exc


def _expand(rule, first: datetime, last: datetime, limit: int, wall) -> list:
    parts = {str(k).upper(): v for k, v in rule.items()}
    unknown = [part for part in parts if not _RULE_PART.fullmatch(part)]
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
        found.append(when)
    return found


def _years(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years)


def _unescape(raw: str) -> str:
    """A TEXT value as written (RFC 5545 3.3.11) in plain characters."""
    if "\\" not in raw:
        return raw
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def _text_list(raw: str) -> list[str]:
    """A comma-separated TEXT list (CATEGORIES), split on unescaped commas."""
    items, start = [], 0
    for match in _LIST_SPLIT.finditer(raw):
        if match.group() == ",":
            items.append(raw[start : match.start()])
            start = match.end()
    items.append(raw[start:])
    return [_unescape(item) for item in items]


def _parameters(prop: Property) -> dict[str, list[str]]:
    """The property's parameters by upper-cased name, quotes removed."""
    return {
        match.group(1).upper(): [
            quoted or plain
            for quoted, plain in _PARAMETER_VALUE.findall(match.group(2))
        ]
        for match in _PARAMETER.finditer(prop.params)
    }


def _decode(prop: Property, tzid: str | None = None):
    """The value as icalendar's type for the property reads it (VALUE= respected)."""
    value_type = _parameters(prop).get("VALUE", [None])[0] if prop.params else None
    factory = _TYPES.for_property(prop.name, value_type)
    if tzid:
        return factory.from_ical(prop.value, tzid)
    return factory.from_ical(prop.value)


def _only(component: Component, name: str) -> Property:
    """The component's one `name` property; KeyError when it has none."""
    return component.properties[name][0]


class _FileZone(tzinfo):
    """A VTIMEZONE from the file, as a sorted table of onsets (RFC 5545 3.6.5)."""

    def __init__(self, component: Component) -> None:
        onsets = []  # (local onset time, offset before, offset after)
        for part in component.children:
            if part.name not in ("STANDARD", "DAYLIGHT"):
                continue
            start = _decode(_only(part, "DTSTART"))
            before = _decode(_only(part, "TZOFFSETFROM"))
            after = _decode(_only(part, "TZOFFSETTO"))
            if not isinstance(start, datetime) or max(abs(before), abs(after)) >= _DAY:
                raise ValueError("DTSTART must be a local time, offsets under a day")
            first, wall = start.replace(tzinfo=None), partial(_naive, offset=before)
            walls = {first}
            for prop in part.properties.get("RDATE", []):
                if prop.value:  # an empty RDATE is a known client bug
                    walls.update(wall(d) for d in _decode(prop))
            for prop in part.properties.get("RRULE", []):
                rule = _decode(prop)
                if str(rule.get("FREQ", [""])[0]).upper() != "YEARLY":
                    raise ValueError("time zone rules must be yearly")
                walls.update(expand_rule(rule, first, _ZONE_END, 1000, wall))
            onsets += [(onset, before, after) for onset in walls]
        if not onsets:
            raise ValueError("no STANDARD or DAYLIGHT component")
        onsets.sort()
        self._walls = [wall for wall, _, _ in onsets]
        self._instants = [wall - before for wall, before, _ in onsets]
        self._offsets = [onsets[0][1]] + [after for _, _, after in onsets]

    def utcoffset(self, moment: datetime | None) -> timedelta | None:
        # The repeated hour after a fall-back onset reads as its first occurrence.
        wall = None if moment is None else moment.replace(tzinfo=None)
        return None if wall is None else self._offsets[bisect_right(self._walls, wall)]

    def tzname(self, moment: datetime | None) -> None:
        return None

    def dst(self, moment: datetime | None) -> None:
        return None

    def fromutc(self, moment: datetime) -> datetime:
        utc = moment.replace(tzinfo=None)
        return moment + self._offsets[bisect_right(self._instants, utc)]


def _naive(value: datetime | date, offset: timedelta) -> datetime:
    """A zone's local time: a UTC value shifted by `offset`, a date at midnight."""
    if isinstance(value, tuple):
        value = value[0]  # a PERIOD starts at the onset
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None) + offset


class _Zones:
    """The file's own VTIMEZONEs by TZID, each read on first use.

    A TZID that icalendar knows (an IANA or Windows name) never gets here: the
    value reader resolves it, as icalendar does for a whole file.
    """

    def __init__(self, lines: ContentLines) -> None:
        self._found: dict[str, Component | _FileZone] = {}
        for component in lines.calendar.children:
            if component.name == "VTIMEZONE" and "TZID" in component.properties:
                tzid = _unescape(_only(component, "TZID").value)
                self._found.setdefault(tzid, component)

    def get(self, tzid: str) -> tzinfo | None:
        """The zone, None if the file has no such TZID; ValueError if it is unusable."""
        zone = self._found.get(tzid)
        if isinstance(zone, Component):
            try:
                zone = self._found[tzid] = _FileZone(zone)
            except Exception as exc:  # any hole in a hand-written VTIMEZONE
                raise ValueError(str(exc) or type(exc).__name__) from exc
        return zone


class _Event:
    """One VEVENT read into Python values; each defect is reported with its line."""

    def __init__(self, component: Component, lines: ContentLines, zones: _Zones):
        self._props, self._lines, self._zones = component.properties, lines, zones
        self.line, self.uid, self.floating = lines.numbers[component.index], "", False
        self.uid = clean_text(self._text("UID", repeatable=False)).strip()
        if not self.uid:
            raise ICalError("missing_uid", line=self.line)
        self.start = self._when("DTSTART")
        if self.start is None:
            raise self.error("missing_dtstart", "", None)
        self.all_day = not isinstance(self.start, datetime)
        self.zone = None if self.all_day else self.start.tzinfo
        self.duration = self._duration()
        self.recurrence_id = self._when("RECURRENCE-ID")
        self.summary = self._text("SUMMARY")
        self.description = self._text("DESCRIPTION")
        self.location = self._text("LOCATION")
        # The preview shows it as a link, so only web addresses (no javascript:).
        self.url = url if _WEB_URL.fullmatch(url := self._text("URL")) else ""
        self.status = STATUS_ALIASES.get(self._text("STATUS").upper(), "CONFIRMED")
        self.sequence = self._sequence()
        names = (
            clean_text(name).strip()
            for prop in self._props.get("CATEGORIES", ())
            for name in _text_list(prop.value)
        )
        self.categories = tuple(dict.fromkeys(n for n in names if n))
        capacity = _CAPACITY.fullmatch(
            self._text("X-CAPACITY") or self._text("X-MAX-PARTICIPANTS")
        )
        self.capacity = int(capacity.group(1)) if capacity else None
        self.rules = [
            self._decoded(prop, "bad_rrule") for prop in self._props.get("RRULE", ())
        ]
        self.rdates = self._dates("RDATE")
        self.exdates = self._dates("EXDATE")

    def error(self, code: str, detail: object, at: Property | str | None) -> ICalError:
        """`code` at the line of property `at` (or the first of that name)."""
        if isinstance(at, str):
            at = next(iter(self._props.get(at, ())), None)
        line = self._lines.numbers[at.index] if at else self.line
        return ICalError(code, detail, line=line, uid=self.uid or None)

    def _one(self, name: str, *, repeatable: bool = True) -> Property | None:
        props = self._props.get(name)
        if not props:
            return None
        # A repeated title is harmless; a repeated start or UID is ambiguous.
        if len(props) > 1 and not repeatable:
            raise self.error("bad_line", f"{name} appears {len(props)} times", props[1])
        return props[0]

    def _text(self, name: str, *, repeatable: bool = True) -> str:
        prop = self._one(name, repeatable=repeatable)
        return "" if prop is None else clean_text(_unescape(prop.value))

    def _sequence(self) -> int:
        prop = self._one("SEQUENCE", repeatable=False)
        try:
            sequence = int(prop.value) if prop else 0
        except ValueError:
            sequence = -1
        if sequence < 0:
            raise self.error("bad_line", prop.value, prop)
        return sequence

    def _decoded(self, prop: Property, code: str, *, tzid: str | None = None):
        try:
            return _decode(prop, tzid)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise self.error(code, prop.value, prop) from exc

    def _tzid(self, prop: Property) -> str | None:
        tzids = _parameters(prop).get("TZID") if prop.params else None
        if not tzids:
            return None
        if len(tzids) > 1:
            raise self.error("unknown_tz", ",".join(tzids), prop)
        return tzids[0]

    def _dates(self, name: str) -> list[datetime | date]:
        """RDATE or EXDATE values; the TZID sits on the property, not on each item."""
        found = []
        for prop in self._props.get(name, ()):
            if name == "RDATE" and not prop.value:
                continue  # an empty RDATE is a known client bug, and means nothing
            tzid = self._tzid(prop)
            values = self._decoded(prop, "bad_date", tzid=tzid)
            found += [self._instant(v, prop, tzid) for v in values]
        return found

    def _when(self, name: str) -> datetime | date | None:
        prop = self._one(name, repeatable=False)
        if prop is None:
            return None
        tzid = self._tzid(prop)
        return self._instant(self._decoded(prop, "bad_date", tzid=tzid), prop, tzid)

    def _instant(self, value, prop: Property, tzid: str | None) -> datetime | date:
        """A date, or a datetime aware in the zone the file gave it."""
        if isinstance(value, tuple) and prop.name == "RDATE":
            value = value[0]  # a PERIOD: its start is the occurrence
        if not isinstance(value, date) or not MIN_YEAR <= value.year <= MAX_YEAR:
            raise self.error("bad_date", prop.value, prop)
        if isinstance(value, datetime) and value.tzinfo is None:
            if not tzid:
                self.floating = True  # no zone at all: read as Copenhagen wall time
            value = value.replace(tzinfo=self._zone(tzid, prop) if tzid else COPENHAGEN)
        return value

    def _zone(self, tzid: str, prop: Property) -> tzinfo:
        try:
            zone = self._zones.get(tzid)
        except ValueError as exc:
            raise self.error("bad_timezone", exc, prop) from exc
        if zone is None:
            raise self.error("unknown_tz", tzid, prop)
        return zone

    def _duration(self) -> timedelta:
        end, prop = self._when("DTEND"), self._one("DURATION", repeatable=False)
        if end is not None:
            prop = self._one("DTEND")
            if isinstance(end, datetime) == self.all_day:
                raise self.error("bad_date", "DTEND and DTSTART differ in type", prop)
            length = _elapsed(self.start, end)
        elif prop is not None:
            length = self._decoded(prop, "bad_date")
            if not isinstance(length, timedelta):
                raise self.error("bad_date", prop.value, prop)
        else:
            # RFC 5545 3.6.1: a date lasts one day, a date-time is a moment.
            length = timedelta(days=1 if self.all_day else 0)
        if length < timedelta(0):
            raise self.error("end_before_start", prop.value if prop else "", prop)
        if length > _LONGEST:
            raise self.error("bad_date", prop.value if prop else "", prop)
        return timedelta(days=length.days) if self.all_day else length


def _elapsed(start: datetime | date, end: datetime | date) -> timedelta:
    if isinstance(start, datetime):
        # Exact time across a DST change: same-tzinfo subtraction is wall-clock.
        return end.astimezone(UTC) - start.astimezone(UTC)
    return end - start


def _series(
    uid: str, events: list[_Event], horizon: timedelta, limit: int
) -> ParsedEvent:
    masters = [e for e in events if e.recurrence_id is None]
    if len(masters) > 1:
        raise ICalError("duplicate_uid", uid, uid=uid, line=masters[1].line)
    main = masters[0] if masters else min(events, key=lambda e: _sort_key(e.start))
    overrides: dict[str, _Event] = {}
    for event in events:
        if event.recurrence_id is not None:
            rid = _recurrence_id(event.recurrence_id, main)
            if rid in overrides:
                raise ICalError("duplicate_uid", rid, uid=uid, line=event.line)
            overrides[rid] = event
    occurrences: dict[str, Occurrence] = {}
    if masters:
        recurring = bool(main.rules or main.rdates or overrides)
        for start in _starts(main, horizon, limit):
            rid = _recurrence_id(start, main) if recurring else ""
            occurrences[rid] = _occurrence(rid, start, main, main)
    # An override replaces its instance; one that matches none is kept as sent.
    for rid, event in overrides.items():
        occurrences[rid] = _occurrence(rid, event.start, event, main)
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
        occurrences=tuple(sorted(occurrences.values(), key=_occurrence_key)),
        line=main.line,
    )


def _starts(event: _Event, horizon: timedelta, limit: int) -> list[datetime | date]:
    """DTSTART, RRULE and RDATE instances minus EXDATE, in the event's own zone."""
    first = _wall(event.start, event)
    last = first + horizon
    found = {first}
    for rule in event.rules:
        try:
            found.update(
                expand_rule(rule, first, last, limit, lambda v: _wall(v, event))
            )
        except ValueError as exc:
            raise event.error("bad_rrule", exc, "RRULE") from exc
    found.update(w for w in (_wall(d, event) for d in event.rdates) if w <= last)
    excluded = {_wall(d, event) for d in event.exdates}
    excluded_days = {d for d in event.exdates if not isinstance(d, datetime)}
    kept = sorted(
        w for w in found if w not in excluded and w.date() not in excluded_days
    )
    if event.all_day:
        return [w.date() for w in kept[:limit]]
    return [w.replace(tzinfo=event.zone) for w in kept[:limit]]


def _wall(value: datetime | date, event: _Event) -> datetime:
    """Naive wall-clock time in the event's own zone, where recurrence happens."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # a floating UNTIL
            return value
        if event.all_day:
            return datetime.combine(
                value.astimezone(COPENHAGEN).date(), datetime.min.time()
            )
        return value.astimezone(event.zone).replace(tzinfo=None)
    if event.all_day:
        return datetime.combine(value, datetime.min.time())
    return datetime.combine(value, event.start.time())


def _recurrence_id(value: datetime | date, event: _Event) -> str:
    if event.all_day:
        return _wall(value, event).date().isoformat()
    moment = _wall(value, event).replace(tzinfo=event.zone).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _occurrence(
    rid: str, start: datetime | date, event: _Event, main: _Event
) -> Occurrence:
    if isinstance(start, datetime):
        end = (start.astimezone(UTC) + event.duration).astimezone(COPENHAGEN)
        start = start.astimezone(COPENHAGEN)
    else:
        end = start + event.duration
    # An override may leave out what it does not change; the series supplies it.
    return Occurrence(rid, start, end, event.status, event.location or main.location)


def _occurrence_key(occurrence: Occurrence) -> datetime:
    return _sort_key(occurrence.start)


def _sort_key(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, datetime.min.time(), COPENHAGEN).astimezone(UTC)
