"""Local Danish times and public holidays for meetings: pure functions, no database."""

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from courses.sessions.errors import LocalTimeError

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
# The years a course day may fall in: others are typing mistakes.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def local_instant(day: date, clock: time) -> datetime:
    """The UTC instant of `clock` on `day` in Copenhagen; refuses missing times.

    Each meeting is converted on its own day, so a session that runs across a
    daylight-saving change keeps its local times (09:00 stays 09:00).
    """
    local = datetime.combine(day, clock, tzinfo=COPENHAGEN)
    instant = local.astimezone(UTC)
    if instant.astimezone(COPENHAGEN).replace(tzinfo=None) != local.replace(
        tzinfo=None
    ):
        raise LocalTimeError(day=day, clock=clock)
    return instant


def local(instant: datetime) -> datetime:
    return instant.astimezone(COPENHAGEN)


def end_of_local_day(day: date) -> datetime:
    """The last minute of `day` in Copenhagen, as a UTC instant (for deadlines)."""
    return local_instant(day, time(23, 59))


@functools.cache
def _danish_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("DK", years=year, language=language))


def holiday_name(day: date, language: str = "da") -> str | None:
    """The name of the Danish public holiday on `day`, or None for a working day."""
    return _danish_holidays(day.year, language).get(day)


def next_working_day(day: date) -> date:
    """`day`, or the first day after it that is neither a weekend nor a holiday."""
    while day.weekday() >= 5 or holiday_name(day):
        day += timedelta(days=1)
    return day
