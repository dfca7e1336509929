"""Dates for tests, computed from the product's clock and working-day rules.

No test writes a literal date that will age: each one asks here for "a working
day N days ahead", "the Thursday before the autumn clock change" and the like,
so the suite gives the same result on any day it runs (CI runs it under
faketime a year ahead, and in another time zone, to prove it).
"""

from datetime import date, datetime, time, timedelta

from core import clock
from courses.sessions.timing import COPENHAGEN, holiday_name, next_working_day


def today() -> date:
    """Today in Copenhagen, by the product's clock."""
    return clock.today()


def ahead(days: int) -> date:
    return today() + timedelta(days=days)


def working_day(days_ahead: int) -> date:
    """The first working day (no weekend, no Danish holiday) `days_ahead` on."""
    return next_working_day(ahead(days_ahead))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not holiday_name(day)


def at(day: date, clock_time: time = time(9)) -> datetime:
    """`clock_time` on `day` in Copenhagen, timezone-aware."""
    return datetime.combine(day, clock_time, tzinfo=COPENHAGEN)


def weekday_on_or_after(day: date, weekday: int) -> date:
    """`day`, or the first day after it that is `weekday` (Monday is 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def last_sunday(year: int, month: int) -> date:
    """The last Sunday of a month: the days Denmark changes its clocks (3 and 10)."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    last = first_of_next - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def future_year(month: int = 1, day: int = 1, *, margin: int = 30) -> int:
    """The first year in which `month`/`day` is at least `margin` days ahead."""
    year = today().year
    while date(year, month, day) < ahead(margin):
        year += 1
    return year


MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish(day: date | datetime) -> str:
    """A date as the Danish pages write it in full: '10. november 2026'."""
    if isinstance(day, datetime):
        day = day.astimezone(COPENHAGEN).date()
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def short(day: date | datetime) -> str:
    """A date as the Danish pages write it short: '03.01.2026'."""
    if isinstance(day, datetime):
        day = day.astimezone(COPENHAGEN).date()
    return f"{day:%d.%m.%Y}"


def ics(day: date, clock_time: str = "") -> str:
    """An iCalendar DATE (`YYYYMMDD`) or local DATE-TIME (`YYYYMMDDTHHMMSS`)."""
    return f"{day:%Y%m%d}" + (f"T{clock_time}" if clock_time else "")
