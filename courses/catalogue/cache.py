"""A small per-process cache of rendered catalogue listings, checked against the data.

Each entry is keyed on a data version read from the database in one cheap query
(the latest change to courses, sessions, providers, categories and diploma modules:
index look-ups, but for the providers' unindexed updated_at, a table of a few dozen
rows), so a change made by any worker or machine is normally seen
on the next request. Timestamps are not a perfect version, though: a transaction
that stamped its rows earlier but committed later than another (or a machine
whose clock lags) leaves the newest stamp unchanged. The short lifetime bounds
that, and covers what no row records, such as a session starting and so leaving
the "upcoming" ones. Nothing here matters for correctness: booking checks read
the rows themselves, and a cold cache only costs one rendering.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

import sqlalchemy as sa

from core.db import committed_first
from core.prepared_read import PreparedRead
from courses.catalogue.contributions import contributions
from courses.catalogue.models import Category, Course, Provider

_OWN_VERSION = (
    ("max(updated_at)", Course.__tablename__),
    ("max(updated_at)", Provider.__tablename__),
    ("count(*)", Category.__tablename__),
    ("max(id)", Category.__tablename__),
)


# One read per set of areas (the app's, fixed once it is built).
_VERSION_READS: dict[tuple, PreparedRead] = {}


def _version_read(parts) -> PreparedRead:
    # Plain SQL: the same select through the ORM costs more to compile than the
    # look-ups cost to run.
    pairs = _OWN_VERSION + tuple(pair for part in parts for pair in part.version)
    read = _VERSION_READS.get(pairs)
    if read is None:
        read = _VERSION_READS[pairs] = PreparedRead(
            sa.select(
                *(
                    sa.literal_column(f"(SELECT {aggregate} FROM {table})")
                    for aggregate, table in pairs
                )
            )
        )
    return read


def data_version() -> tuple:
    """What the catalogue listing depends on, in one cheap query.

    The areas that add to the listing (sessions, diplomas) name their own
    tables through their ListingPart's `version`. Read as committed, outside
    the request's transaction (core.db.committed_first): on a kept listing it
    is the page's only read besides the login, and on PostgreSQL the
    transaction around it (BEGIN, the select, ROLLBACK) cost two round trips
    more than the read.
    """
    return committed_first(_version_read(contributions().listing))


class ListingCache:
    """A bounded, time-limited mapping from a listing's key to its rendered HTML."""

    def __init__(self, size: int = 256, lifetime: float = 10.0):
        self.size = size
        self.lifetime = lifetime
        self._entries: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] > now:
                self._entries.move_to_end(key)
                return entry[1]
        html = render()
        with self._lock:
            self._entries[key] = (now + self.lifetime, html)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


listings = ListingCache()
