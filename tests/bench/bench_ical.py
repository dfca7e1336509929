"""Benchmark ical.py against bare icalendar: `python tests/bench/bench_ical.py`."""

import gc
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from core import clock
from courses.calendars.ical import EventSpec, build_calendar
from courses.calendars.ical_parse import parse_calendar
from tests.bench import goals

CPH = ZoneInfo("Europe/Copenhagen")
# Best of 3: a fourth and fifth round moved no ratio by more than its noise.
BUILD_EVENTS, PARSE_EVENTS, REPEATS = 1_000, 5_000, 3
BUILD_GOAL, PARSE_GOAL = 1.3, 1.5


def race(
    ours: Callable[[], object], theirs: Callable[[], object], repeats: int = REPEATS
) -> tuple[float, float]:
    """Best of `repeats` alternating runs, so both sides see the same machine load.

    CPU time of this process: other work on a shared machine does not count.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for action, spent in zip((ours, theirs), times, strict=True):
            gc.collect()
            started = time.process_time()
            action()
            spent.append(time.process_time() - started)
    return min(times[0]), min(times[1])


def specs(count: int) -> list[EventSpec]:
    first = datetime(2026, 1, 5, 9, tzinfo=CPH)
    return [
        EventSpec(
            uid=f"meeting-{n}-user-7@kursus.example",
            sequence=n % 4,
            start=first + timedelta(days=n % 700, hours=n % 5),
            end=first + timedelta(days=n % 700, hours=n % 5 + 3),
            summary=f"Excel for øvede, del {n}",
            last_modified=datetime(2026, 1, 1, 12, tzinfo=UTC),
            location="Jobcenter Aarhus, lokale 3",
            description="Medbring egen computer; vi starter præcis.\nKaffe kl. 10.",
            url=f"https://kursus.example/kurser/{n}",
            status="CANCELLED" if n % 10 == 0 else "CONFIRMED",
            categories=("IT", "Kontor"),
        )
        for n in range(count)
    ]


def bare_icalendar(events: list[EventSpec]) -> bytes:
    """The same properties written with icalendar directly and nothing more."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Bench//DA")
    calendar.add("VERSION", "2.0")
    for spec in events:
        event = icalendar.Event()
        event.add("UID", spec.uid)
        event.add("DTSTAMP", spec.last_modified)
        event.add("LAST-MODIFIED", spec.last_modified)
        event.add("SEQUENCE", spec.sequence)
        event.add("DTSTART", spec.start)
        event.add("DTEND", spec.end)
        event.add("SUMMARY", spec.summary)
        event.add("LOCATION", spec.location)
        event.add("DESCRIPTION", spec.description)
        event.add("URL", spec.url)
        event.add("STATUS", spec.status)
        event.add("CATEGORIES", list(spec.categories))
        calendar.add_component(event)
    return calendar.to_ical()


def report(title: str, ours: float, theirs: float, goal: float) -> bool:
    ratio = ours / theirs
    verdict = "ok" if ratio <= goal else "SLOWER THAN GOAL"
    goals.record(
        f"{title}: at most {goal}x icalendar (CPU)", "", f"{ratio:.2f}x", ratio <= goal
    )
    print(
        f"{title}: ours {ours * 1000:8.1f} ms   icalendar {theirs * 1000:8.1f} ms CPU  "
        f"ratio {ratio:4.2f}x (goal <= {goal}x) {verdict}"
    )
    return ratio <= goal


def main() -> None:
    events = specs(BUILD_EVENTS)
    build_calendar(events[:10], name="Opvarmning")  # VTIMEZONE cache, imports
    built = report(
        f"build {BUILD_EVENTS} meetings",
        *race(
            lambda: build_calendar(events, name="Bench"), lambda: bare_icalendar(events)
        ),
        BUILD_GOAL,
    )
    data = build_calendar(specs(PARSE_EVENTS), name="Bench")
    # As the import reads a file (imports.parse): series from today on.
    today = clock.today()
    assert len(parse_calendar(data, today=today)) == PARSE_EVENTS
    parsed = report(
        f"parse {PARSE_EVENTS} events ({len(data) / 1e6:.1f} MB)",
        *race(
            lambda: parse_calendar(data, today=today),
            lambda: icalendar.Calendar.from_ical(data),
        ),
        PARSE_GOAL,
    )
    print("all goals met" if built and parsed else "a goal was missed")


if __name__ == "__main__":
    main()
