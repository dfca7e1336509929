"""Small iCalendar files for the import tests, written line by line."""

from datetime import date

import icalendar

from tests.dates import today

_ZONES: dict[str, str] = {}


def vtimezone(tzid: str = "Europe/Copenhagen") -> str:
    if tzid not in _ZONES:
        # The transitions from last year to five years on: the tests' dates are
        # relative to today, so the zone must move with them.
        year = today().year
        zone = icalendar.Timezone.from_tzid(
            tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 5, 1, 1)
        )
        _ZONES[tzid] = zone.to_ical().decode().strip()
    return _ZONES[tzid]


def event(uid: str, start: str, end: str = "", summary: str = "Kursus", **props) -> str:
    """A VEVENT; `start`/`end` are full property lines' values with parameters,
    e.g. ';TZID=Europe/Copenhagen:20261110T090000' or ':20261110T080000Z'."""
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z"]
    if start:
        lines.append(f"DTSTART{start}")
    if end:
        lines.append(f"DTEND{end}")
    lines.append(f"SUMMARY:{summary}")
    for name, value in props.items():
        lines.append(f"{name.replace('_', '-').upper()}{value}")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def calendar(*events: str, zones=("Europe/Copenhagen",)) -> bytes:
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Udbyder//DA"]
    parts += [vtimezone(z) for z in zones]
    parts += list(events)
    parts.append("END:VCALENDAR")
    return ("\r\n".join(parts) + "\r\n").encode()


def cph(stamp: str) -> str:
    return f";TZID=Europe/Copenhagen:{stamp}"
