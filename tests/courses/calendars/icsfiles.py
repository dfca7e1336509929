"""Small iCalendar files for the import tests, written line by line."""

__all__ = ["NOVEMBER", "YEAR", "calendar", "cph", "danish", "dec", "event", "nov"]

from datetime import date, timedelta

import icalendar

from tests.dates import danish, future_year, ics, today, weekday_on_or_after

# The files play in the autumn of the first year whose October is a month or more
# ahead, so every event is in the future whatever day the suite runs. NOVEMBER[n]
# is the day that plays "n November": day 5 is the first Thursday on or after
# 2 November, so a weekly series from it stays in winter time (UTC+1).
YEAR = future_year(10, 1)
_THURSDAY = weekday_on_or_after(date(YEAR, 11, 2), 3)
NOVEMBER = {n: _THURSDAY + timedelta(days=n - 5) for n in range(1, 31)}


def nov(n: int) -> str:
    """The iCalendar date (YYYYMMDD) of the day that plays `n` November."""
    return ics(NOVEMBER[n])


def dec(n: int) -> str:
    """The iCalendar date of `n` December in YEAR."""
    return ics(date(YEAR, 12, n))


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
    e.g. ';TZID=Europe/Copenhagen:YYYYMMDDT090000' or ':YYYYMMDDT080000Z'."""
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
