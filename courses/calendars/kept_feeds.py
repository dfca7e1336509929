"""Each provider feed's bytes, kept by every worker under the state they were
built at (issue 19).

A full answer read the provider's meetings and wrote them as iCalendar: about
0.1 s and 600 kB for a provider of the national dataset, for every calendar
that subscribed without a copy of its own. The state is read for every request
anyway (it is the 304's ETag), and stamps.py raises it with every change to
the provider, its courses, their sessions or meetings, in the writing
transaction; the ETag also names the feed's format, UID domain and base URL,
which are the rest of what decides the bytes. So bytes kept under an ETag are
the bytes the feed would build now for as long as the state reads that ETag:
a change made through any worker or server is answered on the next request.

What it can miss is what the 304 misses too: a write that passes by the ORM's
flush and does not raise the stamp itself (the calendar import's bulk INSERT
raises it; the seat counter's UPDATE changes nothing the feed shows).

A person's feed is kept the same way (views.personal_feed, keyed by the
person): its state aggregates the person's bookings (their count, ids and
latest updated_at, which the ORM sets at every change of state) with their
meetings, sessions and courses, and names the person and the token's age. A
booking made, approved, offered or cancelled through any worker changes that
state, so the next request, to any worker, builds the feed again. It can miss
what the 304 misses, for as long as nothing else in the state changes: a write
to a booking, meeting, session or course that does not pass through the ORM's
flush (none does today). Each worker keeps at most CALENDAR_FEED_KEEP_BYTES of
feeds in all, the first kept forgotten first.

The rows are read after the state, so they are never older than it; newer ones
(a change committed in between) are kept under the older ETag, which no
request reads again once the state has moved on.
"""

import threading
from collections.abc import Callable, Hashable

from flask import current_app

EXTENSION = "calendars.kept_feeds"


class KeptFeeds:
    """Feed bytes by feed, each with the ETag it was built at; at most
    `max_bytes` in all, the longest kept forgotten first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._kept: dict[Hashable, tuple[str, bytes]] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, etag: str) -> bytes | None:
        found = self._kept.get(key)
        return found[1] if found is not None and found[0] == etag else None

    def put(self, key: Hashable, etag: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            while self._kept and self._size + len(body) > self.max_bytes:
                oldest = next(iter(self._kept))  # a dict keeps the order kept
                self._size -= len(self._kept.pop(oldest)[1])
            self._kept[key] = (etag, body)
            self._size += len(body)

    def size(self) -> int:
        return self._size


def kept_or_built(key: Hashable, etag: str, build: Callable[[], bytes]) -> bytes:
    """The feed's bytes kept under `etag`, else built and kept."""
    kept: KeptFeeds | None = current_app.extensions.get(EXTENSION)
    if kept is None:
        return build()
    body = kept.get(key, etag)
    if body is None:
        body = build()
        kept.put(key, etag, body)
    return body


def init_app(app) -> None:
    """One store per app (each worker builds its own app): the limit is
    CALENDAR_FEED_KEEP_BYTES; 0 keeps nothing."""
    limit = app.config["CALENDAR_FEED_KEEP_BYTES"]
    if limit > 0:
        app.extensions[EXTENSION] = KeptFeeds(limit)
