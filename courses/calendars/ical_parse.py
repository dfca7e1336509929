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
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache, partial
from zoneinfo import available_timezones

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

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
from courses.calendars.ical_series import (
    Occurrence,
    ParsedEvent,
    Window,
    expand_rule,
    series,
)

__all__ = ["Occurrence", "ParsedEvent", "parse_calendar", "refresh_interval"]

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
_DATE_FORM = re.compile(r"\d{8}")  # a DATE value, whatever its parameters say
_ZONE_END = datetime(MAX_YEAR + 2, 1, 1)


def parse_calendar(
    data: bytes,
    *,
    max_bytes: int = 5_000_000,
    max_components: int = 10_000,
    horizon: timedelta = timedelta(days=3 * 365),
    max_occurrences: int = 1000,
    today: date | None = None,
) -> list[ParsedEvent]:
    """Read `data` into one ParsedEvent per UID, in file order, or raise ICalError.

    A recurring series is expanded from `today` (from its own start when None
    or later) for `horizon`, at most `max_occurrences` meetings after EXDATE.
    """
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
    since = datetime.combine(today, datetime.min.time()) if today else None
    window = Window(since, horizon, max(max_occurrences, 0))
    parsed, total = [], 0
    for uid, events in groups.items():
        parsed.append(series(uid, events, window))
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
            if not isinstance(start, datetime) and isinstance(start, date):
                start = datetime.combine(start, datetime.min.time())  # its midnight
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

    An IANA name is resolved by the value reader (tzdata is kept up to date;
    a file's copy often covers a few years only). Any other name the file
    defines (Outlook's "New Zealand Standard Time") is read from the file's
    own definition (RFC 5545 3.6.5), never from a name mapping that may
    disagree with it.
    """

    def __init__(self, lines: ContentLines) -> None:
        self._found: dict[str, Component | _FileZone] = {}
        for component in lines.calendar.children:
            if component.name == "VTIMEZONE" and "TZID" in component.properties:
                tzid = _unescape(_only(component, "TZID").value)
                self._found.setdefault(tzid, component)

    def known_name(self, tzid: str) -> str | None:
        """The name the value reader resolves `tzid` by: an IANA name; a Windows
        name, or a globally unique one ("/vendor/Europe/Berlin", RFC 5545
        3.2.19) that the file does not define; else None (the file's own zone).
        Never icalendar's cache of zones from files read earlier in the
        process, so a file reads the same anywhere."""
        if tzid in _iana_names():
            return tzid
        if tzid in self._found:
            return None
        if tzid in WINDOWS_TO_OLSON:
            return tzid
        if tzid.startswith("/"):
            parts = tzid.split("/")
            tails = ("/".join(parts[i:]) for i in range(1, len(parts)))
            return next((t for t in tails if t in _iana_names()), None)
        return None

    def get(self, tzid: str) -> tzinfo | None:
        """The zone, None if the file has no such TZID; ValueError if it is unusable."""
        zone = self._found.get(tzid)
        if isinstance(zone, Component):
            try:
                zone = self._found[tzid] = _FileZone(zone)
            except Exception as exc:  # any hole in a hand-written VTIMEZONE
                raise ValueError(str(exc) or type(exc).__name__) from exc
        return zone


@cache
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


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
        self.range_future = self._range_future()
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
        self.rules = [  # an empty RRULE, as some holiday feeds write, means none
            self._decoded(prop, "bad_rrule")
            for prop in self._props.get("RRULE", ())
            if prop.value.strip()
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
        if tzid:  # None: read as local time, then put in the file's own zone
            tzid = self._zones.known_name(tzid)
        if _DATE_FORM.fullmatch(prop.value) and prop.name != "DURATION":
            # "DTSTART;TZID=US/Pacific:20120101" (old Google exports) is a day,
            # not midnight in that zone.
            tzid = None
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

    def _range_future(self) -> bool:
        prop = self._one("RECURRENCE-ID", repeatable=False)
        ranges = _parameters(prop).get("RANGE", []) if prop and prop.params else []
        return any(r.upper() == "THISANDFUTURE" for r in ranges)

    def _dates(self, name: str) -> list:
        """EXDATE values, or RDATE values each with the length its PERIOD gives
        (RFC 5545 3.8.5.2; None for a plain date or date-time). The TZID sits
        on the property, not on each item."""
        found = []
        for prop in self._props.get(name, ()):
            if name == "RDATE" and not prop.value:
                continue  # an empty RDATE is a known client bug, and means nothing
            tzid = self._tzid(prop)
            for value in self._decoded(prop, "bad_date", tzid=tzid):
                if name == "EXDATE":
                    found.append(self._instant(value, prop, tzid))
                elif isinstance(value, tuple):  # a PERIOD: start/end or start/length
                    start = self._instant(value[0], prop, tzid)
                    end = value[1]
                    if isinstance(end, datetime):
                        end = self._instant(end, prop, tzid)
                        length = _elapsed(start, end)
                    else:
                        length = end
                    if not timedelta(0) <= length <= _LONGEST:
                        raise self.error("end_before_start", prop.value, prop)
                    found.append((start, length))
                else:
                    found.append((self._instant(value, prop, tzid), None))
        return found

    def _when(self, name: str, zone: tzinfo | None = None) -> datetime | date | None:
        """The property's value; a floating time is read in `zone` when given
        (a DTEND beside a DTSTART with a TZID, as Mozilla writes it)."""
        prop = self._one(name, repeatable=False)
        if prop is None:
            return None
        tzid = self._tzid(prop)
        value = self._decoded(prop, "bad_date", tzid=tzid)
        floating = isinstance(value, datetime) and value.tzinfo is None
        if zone is not None and not tzid and floating:
            return self._instant(value.replace(tzinfo=zone), prop, None)
        return self._instant(value, prop, tzid)

    def _instant(self, value, prop: Property, tzid: str | None) -> datetime | date:
        """A date, or a datetime aware in the zone the file gave it."""
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
        zone = None if self.all_day or self.floating else self.zone
        end = self._when("DTEND", zone)
        prop = self._one("DURATION", repeatable=False)
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
        if self.all_day:  # DTEND on the start day: the day itself (RFC 5545 3.6.1)
            return timedelta(days=max(length.days, 1))
        return length


def _elapsed(start: datetime | date, end: datetime | date) -> timedelta:
    if isinstance(start, datetime):
        # Exact time across a DST change: same-tzinfo subtraction is wall-clock.
        return end.astimezone(UTC) - start.astimezone(UTC)
    return end - start
