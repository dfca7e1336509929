"""The product's one clock: every "now" and "today" in production code reads it.

Instants are UTC; "today" is the date in Copenhagen, whatever time zone the
server runs in. Tests move this clock with time-machine (tests/conftest.py).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """The current instant on Copenhagen's wall clock."""
    return now().astimezone(COPENHAGEN)


def today() -> date:
    """Today's date in Copenhagen (not the server's local date)."""
    return local_now().date()


def local_date(instant: datetime) -> date:
    """The Copenhagen date of a timezone-aware instant."""
    return instant.astimezone(COPENHAGEN).date()
