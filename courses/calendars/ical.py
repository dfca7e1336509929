"""Write iCalendar (RFC 5545, 5546, 7986): feeds, invitations, one booking's file."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

from courses.calendars.ical_lines import MAX_YEAR, MIN_YEAR, clean_text

TZID = "Europe/Copenhagen"
COPENHAGEN = ZoneInfo(TZID)
PRODID = "-//Kompetence//Kursusplatform//DA"
STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})
METHODS = frozenset({"PUBLISH", "REQUEST", "CANCEL"})

# No characters that would end the mailto: URI, open a query or fragment, or
# break out of the property: only word characters and RFC 5322 atext.
_EMAIL = re.compile(r"[\w.!$&'*+=^`{|}~-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://[^\s\"<>\\^`{|}\x00-\x1f\x7f-\x9f\ud800-\udfff]+", re.I)
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})
_FOLD_AT = 75
_COLOR = re.compile(r"[a-z]{3,20}")  # a CSS3 colour name, such as "teal"


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One VEVENT to publish; times are instants, text is raw user text.

    An all-day event runs from one Copenhagen midnight to another and is
    written with dates (VALUE=DATE), so calendars show it as whole days.
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    last_modified: datetime
    all_day: bool = False
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()
    organizer_email: str = ""
    organizer_name: str = ""
    attendee_email: str = ""
    attendee_name: str = ""

    def __post_init__(self) -> None:
        if not self.uid or self.uid != clean_text(self.uid).strip() or "\n" in self.uid:
            raise ValueError(f"UID must be non-empty printable text: {self.uid!r}")
        if self.sequence < 0:
            raise ValueError(f"SEQUENCE must not be negative: {self.sequence}")
        for moment in (self.start, self.end, self.last_modified):
            _check_moment(moment)
        if self.end < self.start:
            raise ValueError(f"{self.uid}: end {self.end} is before start {self.start}")
        whole_days = _is_midnight(self.start) and _is_midnight(self.end)
        if self.all_day and not (whole_days and self.end > self.start):
            raise ValueError(f"{self.uid}: an all-day event runs midnight to midnight")
        if self.status not in STATUSES:
            raise ValueError(f"unknown STATUS {self.status!r}")
        if self.url:
            _check_url(self.url)
        for email in (self.organizer_email, self.attendee_email):
            if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
                raise ValueError(f"not a usable e-mail address: {email!r}")


def build_calendar(
    events: Iterable[EventSpec],
    *,
    name: str,
    description: str = "",
    refresh: timedelta = timedelta(hours=1),
    method: str | None = None,
    url: str = "",
    color: str = "",
) -> bytes:
    """Serialise `events` as one VCALENDAR; equal arguments give equal bytes.

    `color` is a CSS3 colour name (RFC 7986 COLOR) that clients may give the
    subscribed calendar.
    """
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown METHOD {method!r}")
    if color and not _COLOR.fullmatch(color):
        raise ValueError(f"COLOR must be a CSS3 colour name: {color!r}")
    if refresh < timedelta(seconds=1):
        raise ValueError("refresh must be at least one second")
    if url:
        _check_url(url)
    # Sorting makes the bytes independent of the caller's query order.
    specs = sorted(events, key=lambda spec: (spec.start.astimezone(UTC), spec.uid))
    if len({spec.uid for spec in specs}) != len(specs):
        raise ValueError("each event needs its own UID")
    for spec in specs:
        # RFC 5546 3.2.2 and 3.2.5: both name the organizer and an attendee.
        if method in ("REQUEST", "CANCEL") and not spec.attendee_email:
            raise ValueError(f"{spec.uid}: METHOD:{method} needs an attendee")
        if method in ("REQUEST", "CANCEL") and not spec.organizer_email:
            raise ValueError(f"{spec.uid}: METHOD:{method} needs an organizer")
        if method == "CANCEL" and spec.status != "CANCELLED":
            raise ValueError(f"{spec.uid}: METHOD:CANCEL needs STATUS:CANCELLED")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    lines += [f"NAME:{_text(name)}", f"X-WR-CALNAME:{_text(name)}"]
    if description:
        lines += [
            f"DESCRIPTION:{_text(description)}",
            f"X-WR-CALDESC:{_text(description)}",
        ]
    if url:
        lines.append(f"URL;VALUE=URI:{url}")
    if color:
        lines.append(f"COLOR:{color}")
    ttl = _duration(refresh)
    lines += [
        f"REFRESH-INTERVAL;VALUE=DURATION:{ttl}",
        f"X-PUBLISHED-TTL:{ttl}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    chunks = [_fold_lines(lines)]
    if specs:
        years = [m.astimezone(COPENHAGEN).year for s in specs for m in (s.start, s.end)]
        chunks.append(_vtimezone(min(years), max(years)))
    for spec in specs:
        chunks.append(_fold_lines(_event_lines(spec)))
    chunks.append(b"END:VCALENDAR\r\n")
    return b"".join(chunks)


def _event_lines(spec: EventSpec) -> list[str]:
    stamp = _utc(spec.last_modified)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(spec.uid)}",
        f"DTSTAMP:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        f"SEQUENCE:{spec.sequence}",
        *(
            (_date("DTSTART", spec.start), _date("DTEND", spec.end))
            if spec.all_day
            else (_local("DTSTART", spec.start), _local("DTEND", spec.end))
        ),
        f"SUMMARY:{_text(spec.summary)}",
    ]
    if spec.location:
        lines.append(f"LOCATION:{_text(spec.location)}")
    if spec.description:
        lines.append(f"DESCRIPTION:{_text(spec.description)}")
    if spec.url:
        lines.append(f"URL;VALUE=URI:{spec.url}")
    lines.append(f"STATUS:{spec.status}")
    # A cancelled meeting stays visible but no longer blocks the person's time.
    cancelled = spec.status == "CANCELLED"
    lines.append("TRANSP:TRANSPARENT" if cancelled else "TRANSP:OPAQUE")
    categories = dict.fromkeys(clean_text(c).strip() for c in spec.categories)
    if any(categories):
        lines.append("CATEGORIES:" + ",".join(_text(c) for c in categories if c))
    if spec.organizer_email:
        lines.append(
            f"ORGANIZER{_cn(spec.organizer_name)}:mailto:{spec.organizer_email}"
        )
    if spec.attendee_email:
        partstat = "TENTATIVE" if spec.status == "TENTATIVE" else "ACCEPTED"
        lines.append(
            f"ATTENDEE{_cn(spec.attendee_name)};ROLE=REQ-PARTICIPANT"
            f";PARTSTAT={partstat};RSVP=FALSE:mailto:{spec.attendee_email}"
        )
    lines.append("END:VEVENT")
    return lines


@lru_cache(maxsize=64)
def _vtimezone(first_year: int, last_year: int) -> bytes:
    # Generating the transitions from zoneinfo takes milliseconds; feeds repeat.
    timezone = icalendar.Timezone.from_tzid(
        TZID, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )
    return timezone.to_ical()


def _check_moment(moment: datetime) -> None:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"{moment} is outside {MIN_YEAR}-{MAX_YEAR}")


def _check_url(url: str) -> None:
    if not _URL.fullmatch(url):
        raise ValueError(f"not an http(s) URL without spaces or controls: {url!r}")


def _text(value: str) -> str:
    return clean_text(value).translate(_TEXT_ESCAPES)


def _cn(name: str) -> str:
    # Inside DQUOTE only '"' and CTLs are forbidden; RFC 6868 carets carry them.
    text = clean_text(name).replace("^", "^^").replace('"', "^'").replace("\n", "^n")
    return f';CN="{text}"' if text else ""


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")  # four-digit years: MIN_YEAR is 1900


def _utc(moment: datetime) -> str:
    return _stamp(moment.astimezone(UTC)) + "Z"


def _local(name: str, moment: datetime) -> str:
    local = moment.astimezone(COPENHAGEN)
    if local.fold:
        # The repeated October hour is ambiguous as wall-clock time: use UTC.
        return f"{name}:{_utc(moment)}"
    return f"{name};TZID={TZID}:{_stamp(local)}"


def _date(name: str, moment: datetime) -> str:
    return f"{name};VALUE=DATE:{moment.astimezone(COPENHAGEN).strftime('%Y%m%d')}"


def _is_midnight(moment: datetime) -> bool:
    return moment.astimezone(COPENHAGEN).time() == time(0)


def _duration(span: timedelta) -> str:
    days, rest = divmod(int(span.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(
        f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n
    )
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")


def _fold_lines(lines: list[str]) -> bytes:
    return b"".join(_fold(line) + b"\r\n" for line in lines)


def _fold(line: str) -> bytes:
    """Fold at 75 octets (RFC 5545 3.1) between UTF-8 sequences and escapes."""
    raw = line.encode()
    if len(raw) <= _FOLD_AT:
        return raw
    parts = []
    start, width = 0, _FOLD_AT
    while len(raw) - start > width:
        cut = start + width
        while raw[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        backslashes = 0
        while cut - backslashes > start and raw[cut - 1 - backslashes] == 0x5C:
            backslashes += 1
        # Some clients mishandle an escape split over a fold; keep "\x" together.
        if backslashes % 2:
            cut -= 1
        parts.append(raw[start:cut])
        start, width = cut, _FOLD_AT - 1  # the continuation's leading space counts
    parts.append(raw[start:])
    return b"\r\n ".join(parts)
