"""Reports a worker keeps for a few minutes after computing them.

A national jobcentre's demand report reads every rating of its people and every
open session, and formats thousands of cells: seconds of work, asked again by
each coordinator who opens the page or downloads its tables. Each worker keeps
what it computed for DEMAND_REPORT_SECONDS (five minutes unless configured; 0
keeps nothing) and answers from it.

What a kept report can miss: every change since it was computed (a rating, a
profile, a person joining or leaving, a session opened, moved, filled or
cancelled, interest declared) until its time is up, and another worker may
show the same report computed at another moment. The page says when its
figures were computed and how long they may lag, so the reader knows.
"""

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

from core import clock

DEFAULT_SECONDS = 300


@dataclass
class Kept:
    """A computed report, when it was computed, and its page's rendered tables
    (by the export arguments their links carry)."""

    computed_at: datetime
    value: Any
    markup: dict[Hashable, Markup] = field(default_factory=dict)

    def rendered(self, key: Hashable, render: Callable[[], str]) -> Markup:
        found = self.markup.get(key)
        if found is None:
            found = self.markup[key] = Markup(render())
        return found


class KeptReports:
    """The reports this worker computed in the last DEMAND_REPORT_SECONDS."""

    MAX_ENTRIES = 500

    def __init__(self) -> None:
        self._found: dict[Hashable, Kept] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, lifetime: float, compute: Callable[[], Any]) -> Kept:
        """The kept report under `key` while younger than `lifetime` seconds,
        else a newly computed one (kept when `lifetime` is above 0)."""
        now = clock.now()
        found = self._found.get(key)
        if found is not None and now - found.computed_at < timedelta(seconds=lifetime):
            return found
        # Two threads may compute the same report at once; the later one is kept.
        found = Kept(now, compute())
        if lifetime > 0:
            with self._lock:
                if len(self._found) >= self.MAX_ENTRIES:
                    self._found.clear()
                self._found[key] = found
        return found


def init_app(app: Flask) -> None:
    seconds = int(app.config.setdefault("DEMAND_REPORT_SECONDS", DEFAULT_SECONDS))
    app.config["DEMAND_REPORT_SECONDS"] = max(seconds, 0)
    app.extensions["kept_reports"] = KeptReports()


def kept(key: Hashable, compute: Callable[[], Any]) -> Kept:
    """The report under `key` as this worker last computed it, while fresh."""
    app = current_app
    lifetime = app.config["DEMAND_REPORT_SECONDS"]
    return app.extensions["kept_reports"].get(key, lifetime, compute)


def lifetime_minutes() -> int:
    """How many minutes a kept report may lag, rounded up."""
    return -(-current_app.config["DEMAND_REPORT_SECONDS"] // 60)
