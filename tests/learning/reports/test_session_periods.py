"""The sessions' "when" in the demand tables (report_tables.Periods): each day
formatted once and the zone read once an hour, the same text as formatting each
session's own times through flask_babel."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from flask_babel import format_date, to_user_timezone

from learning.reports.report_tables import Periods


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
    moment = datetime(2026, 1, 1, 0, 13)
    while moment < datetime(2028, 1, 1):
        for length in (timedelta(hours=1), timedelta(hours=23), timedelta(days=3)):
            yield SimpleNamespace(starts_at=moment, ends_at=moment + length)
        moment += timedelta(hours=5, minutes=37)
    yield SimpleNamespace(starts_at=datetime(2027, 3, 28, 0, 59), ends_at=None)
    yield SimpleNamespace(
        starts_at=datetime(2027, 10, 31, 1, 0, tzinfo=UTC), ends_at=None
    )
    yield SimpleNamespace(starts_at=None, ends_at=None, first_day=None)
    yield SimpleNamespace(
        starts_at=None, ends_at=None, first_day=datetime(2027, 5, 1).date()
    )


def test_each_session_reads_as_if_formatted_on_its_own(app):
    with app.test_request_context():
        period = Periods()
        offers = list(_offers())
        assert [period(o) for o in offers] == [_one_by_one(o) for o in offers]
        # 23:30 in UTC is the next morning in Copenhagen: one day, not two.
        late = SimpleNamespace(
            starts_at=datetime(2027, 6, 1, 23, 30), ends_at=datetime(2027, 6, 2, 6, 0)
        )
        assert period(late) == "2. juni 2027"
