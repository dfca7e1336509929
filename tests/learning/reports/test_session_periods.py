"""The sessions' "when" in the demand tables (report_tables.Periods): each day
formatted once and the zone read once an hour, the same text as formatting each
session's own times through flask_babel."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from flask_babel import force_locale, format_date, to_user_timezone

from learning.reports.report_tables import Periods
from tests.dates import last_sunday, today

# The coming year, from the clock: the dates below are only formatted, never
# compared with today, but a year named in the test would still read as stale.
YEAR = today().year + 1


def _one_by_one(offer) -> str:
    """Each session formatted on its own, in the reader's zone."""
    if offer.starts_at is None:
        return format_date(offer.first_day, "d. MMMM y") if offer.first_day else ""
    start = to_user_timezone(offer.starts_at)
    end = to_user_timezone(offer.ends_at or offer.starts_at)
    if start.date() == end.date():
        return format_date(start, "d. MMMM y")
    return f"{format_date(start, 'd. MMMM')} – {format_date(end, 'd. MMMM y')}"


def _offers():
    # Two years in steps of 5 h 37 min, each across both summer-time changes and
    # every hour of the day; sessions of an hour, of a day and of three days.
    moment = datetime(YEAR - 1, 1, 1, 0, 13)
    while moment < datetime(YEAR + 1, 1, 1):
        for length in (timedelta(hours=1), timedelta(hours=23), timedelta(days=3)):
            yield SimpleNamespace(starts_at=moment, ends_at=moment + length)
        moment += timedelta(hours=5, minutes=37)
    spring, autumn = last_sunday(YEAR, 3), last_sunday(YEAR, 10)
    yield SimpleNamespace(
        starts_at=datetime.combine(spring, datetime.min.time()).replace(minute=59),
        ends_at=None,
    )
    yield SimpleNamespace(
        starts_at=datetime.combine(autumn, datetime.min.time(), UTC).replace(hour=1),
        ends_at=None,
    )
    yield SimpleNamespace(starts_at=None, ends_at=None, first_day=None)
    yield SimpleNamespace(
        starts_at=None, ends_at=None, first_day=date(YEAR, 5, 1)
    )


def test_each_session_reads_as_if_formatted_on_its_own(app):
    with app.test_request_context():
        period = Periods()
        offers = list(_offers())
        assert [period(o) for o in offers] == [_one_by_one(o) for o in offers]
        # 23:30 in UTC is the next morning in Copenhagen: one day, not two.
        late = SimpleNamespace(
            starts_at=datetime(YEAR, 6, 1, 23, 30), ends_at=datetime(YEAR, 6, 2, 6, 0)
        )
        assert period(late) == f"2. juni {YEAR}"


def test_an_english_reader_reads_babels_english_months(app):
    # The months are the locale's own names (report_tables.Periods._format):
    # the same text as Babel's pattern in English as in Danish.
    with app.test_request_context(), force_locale("en"):
        period = Periods()
        offers = list(_offers())
        assert [period(o) for o in offers] == [_one_by_one(o) for o in offers]
        one = SimpleNamespace(
            starts_at=datetime(YEAR, 3, 2, 9, 0), ends_at=datetime(YEAR, 3, 4, 15, 0)
        )
        assert period(one) == f"2. March – 4. March {YEAR}"
