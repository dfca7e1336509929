"""The clash rule's calendar: two sessions clash when they share a course day, a
date in Copenhagen on which both meet, whatever the hours (7-10 and 8-9
December clash, 7-10 and 11 December do not). Pure functions over (start, end)
pairs, so the booking guards and the matching's ranking read one rule."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from core.clock import COPENHAGEN, local_date

Interval = tuple[datetime, datetime]


def _midnight(day: date) -> datetime:
    # Denmark changes its clocks at 02:00/03:00, so every midnight exists.
    return datetime.combine(day, time(0), tzinfo=COPENHAGEN)


def days_of(starts_at: datetime, ends_at: datetime) -> tuple[date, date]:
    """The first and last course day a meeting takes; one that ends at midnight
    does not take the next day."""
    last = ends_at - timedelta(microseconds=1) if ends_at > starts_at else ends_at
    return local_date(starts_at), local_date(last)


@lru_cache(maxsize=65_536)
def whole_days(starts_at: datetime, ends_at: datetime) -> Interval:
    """The meeting widened to its whole course days, midnight to midnight in
    Copenhagen: two widened meetings overlap exactly when they share a day."""
    first, last = days_of(starts_at, ends_at)
    return _midnight(first), _midnight(last + timedelta(days=1))


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def share_a_day(ours: Iterable[Interval], theirs: Iterable[Interval]) -> bool:
    """A meeting of `ours` falls on a course day of `theirs`."""
    theirs = [whole_days(*m) for m in theirs]
    return any(overlaps(whole_days(*m), t) for m in ours for t in theirs)
