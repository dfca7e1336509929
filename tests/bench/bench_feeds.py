"""Feeds and imports end to end: `python -m tests.bench feeds`.

1. A provider feed with 1,000 meetings through the Flask test client, against
   building the same calendar with icalendar directly (goal: at most 1.3x).
2. Importing a 5,000-event file through the import service (parse, preview,
   apply, commit) against icalendar's own parse of the same bytes (goal: 1.5x,
   on both engines).

The 304 answer's share of the bare endpoint is measured by the pages benchmark
(with wrk, under gunicorn, the state read for every request), and the parse
alone against icalendar's by bench_ical.
"""

import gc
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import icalendar

from core.db import db
from courses.calendars import imports, services
from courses.catalogue.models import Provider
from courses.sessions.models import CourseSession, Meeting
from courses.sessions.timing import COPENHAGEN
from tests.bench import goals
from tests.bench.databases import on_each_database
from tests.courses.calendars.icsfiles import calendar, cph, event
from tests.courses.catalogue import factories
from tests.dates import ahead, weekday_on_or_after
from wsgi import create_app

MEETINGS, IMPORT_EVENTS, REPEATS = 1_000, 5_000, 3
IMPORT_ROUNDS = 3
FEED_GOAL, IMPORT_GOAL = 1.3, 1.5


def best(action, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def make_app(database_url: str):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-here",
            "SERVER_NAME": "localhost",
            # Each request builds the feed: this measures the building, which a
            # worker's kept bytes skip (the pages benchmark measures those).
            "CALENDAR_FEED_KEEP_BYTES": 0,
        }
    )
    return app


def first_monday() -> date:
    """A Monday a month or more ahead: every session is in the future."""
    return weekday_on_or_after(ahead(30), 0)


def seed_feed(count: int) -> Provider:
    """200 sessions of 5 meetings over 5 courses, one provider."""
    provider = factories.make_provider(name="Benchudbyder")
    courses = [factories.make_course(provider) for _ in range(5)]
    first = datetime.combine(first_monday(), clock(9), COPENHAGEN)
    for n in range(count // 5):
        course_session = CourseSession(
            course=courses[n % 5], capacity=20, location=f"Lokale {n % 7}"
        )
        for k in range(5):
            start = first + timedelta(days=n * 2 + k * 7)
            course_session.meetings.append(
                Meeting(
                    starts_at=start.astimezone(UTC),
                    ends_at=(start + timedelta(hours=6)).astimezone(UTC),
                    place="Jobcenter Aarhus",
                )
            )
        course_session.starts_at = course_session.meetings[0].starts_at
        course_session.ends_at = course_session.meetings[-1].ends_at
        db.session.add(course_session)
    db.session.commit()
    return provider


def icalendar_feed(specs) -> bytes:
    """The same events written with icalendar directly."""
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//Bench//DA")
    cal.add("VERSION", "2.0")
    cal.add("X-WR-CALNAME", "Kurser")
    for spec in specs:
        ev = icalendar.Event()
        ev.add("UID", spec.uid)
        ev.add("DTSTAMP", spec.last_modified)
        ev.add("SEQUENCE", spec.sequence)
        ev.add("DTSTART", spec.start.astimezone(COPENHAGEN))
        ev.add("DTEND", spec.end.astimezone(COPENHAGEN))
        ev.add("SUMMARY", spec.summary)
        ev.add("LOCATION", spec.location)
        ev.add("DESCRIPTION", spec.description)
        ev.add("URL", spec.url)
        ev.add("STATUS", spec.status)
        cal.add_component(ev)
    return cal.to_ical()


def bench_feed(label: str, app, provider_id: int) -> None:
    client = app.test_client()
    url = f"/kalender/udbyder/{provider_id}.ics"
    first = client.get(url)
    assert first.status_code == 200
    captured = []
    real_build = services.ical.build_calendar

    def capture(events, **kwargs):
        captured.append(list(events))
        return real_build(captured[-1], **kwargs)

    services.ical.build_calendar = capture
    try:
        client.get(url)
    finally:
        services.ical.build_calendar = real_build
    specs = captured[0]
    assert len(specs) == MEETINGS
    full = best(lambda: client.get(url))
    direct = best(lambda: icalendar_feed(specs))
    ratio = full / direct
    print(
        f"{label}: feed of {MEETINGS} meetings: full request {full * 1000:.1f} ms, "
        f"icalendar build {direct * 1000:.1f} ms, ratio {ratio:.2f}x "
        f"(goal <= {FEED_GOAL}x)"
    )
    goals.record(
        f"provider feed of {MEETINGS:,} meetings: at most {FEED_GOAL}x icalendar",
        label,
        f"{ratio:.2f}x",
        ratio <= FEED_GOAL,
    )


def import_file(count: int) -> bytes:
    first = first_monday()
    events = []
    for n in range(count):
        day = first + timedelta(days=n % 600)
        stamp = day.strftime("%Y%m%d")
        events.append(
            event(
                f"import-{n}@udbyder.example",
                cph(f"{stamp}T09{n % 6}000"),
                cph(f"{stamp}T15{n % 6}000"),
                f"Kursus nummer {n % 50}",
                location=f":Lokale {n % 9}",
                x_capacity=f":{10 + n % 20}",
            )
        )
    return calendar(*events)


def bench_import(label: str, app) -> None:
    """Each round parses with icalendar and imports, one after the other, so a
    busy shared machine slows both sides alike; the best round of each counts."""
    data = import_file(IMPORT_EVENTS)
    theirs, runs = [], []
    for n in range(IMPORT_ROUNDS):
        gc.collect()
        started = time.perf_counter()
        icalendar.Calendar.from_ical(data)
        theirs.append(time.perf_counter() - started)
        provider = factories.make_provider(name=f"Import {n}")
        db.session.commit()
        gc.collect()
        started = time.perf_counter()
        stored, events = imports.store(None, provider, data)
        imports.build_plan(provider, events)  # what the preview page shows
        imports.apply(None, stored, events=events)
        db.session.commit()
        runs.append(time.perf_counter() - started)
    full, parse = min(runs), min(theirs)
    ratio = full / parse
    print(
        f"{label}: import of {IMPORT_EVENTS} events ({len(data) / 1e6:.1f} MB): "
        f"icalendar parse {parse * 1000:.0f} ms, parse + preview + apply + commit "
        f"{full * 1000:.0f} ms, ratio {ratio:.2f}x (goal <= {IMPORT_GOAL}x; "
        f"best of {IMPORT_ROUNDS} alternating rounds)"
    )
    goals.record(
        f"calendar import of {IMPORT_EVENTS:,} events: at most {IMPORT_GOAL}x "
        "icalendar's parse",
        label,
        f"{ratio:.2f}x",
        ratio <= IMPORT_GOAL,
    )


def run(label: str, database_url: str) -> None:
    print(f"-- {label}", flush=True)
    app = make_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        provider = seed_feed(MEETINGS)
        bench_feed(label, app, provider.id)
        bench_import(label, app)
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()
