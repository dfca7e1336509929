"""`flask courses sync-calendars` against a tiny HTTP server on 127.0.0.1."""

import threading
import time
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from core import clock
from core.db import db, utcnow
from courses.calendars import imports
from courses.calendars.models import CalendarImport, FeedCheck
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from tests.courses.calendars.icsfiles import calendar, cph, event, nov
from tests.dates import ics

FEED = calendar(
    event(
        "kursus-1@udbyder",
        cph(f"{nov(10)}T090000"),
        cph(f"{nov(10)}T150000"),
        "Samtaler med unge",
    ),
    event(
        "kursus-2@udbyder",
        cph(f"{nov(17)}T090000"),
        cph(f"{nov(17)}T150000"),
        "Virksomhedskontakt",
    ),
)


class Feeds(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, dict]] = {}
    requests: list[dict[str, str]] = []  # the headers of each request, in order
    # A slow answer waits `sleep` seconds or until the test is over.
    released = threading.Event()

    def do_GET(self):  # noqa: N802 (the http.server protocol)
        self.requests.append(dict(self.headers))
        status, body, headers = self.routes.get(self.path, (404, b"no", {}))
        if headers.get("sleep"):
            self.released.wait(headers["sleep"])
        etag = headers.get("ETag")
        if etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        self.send_response(status)
        for name, value in headers.items():
            if name != "sleep":
                self.send_header(name, value)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Feeds.routes, Feeds.requests = {}, []
    Feeds.released.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_port}"
    Feeds.released.set()
    httpd.shutdown()
    httpd.server_close()


def sync(app, *args):
    return app.test_cli_runner().invoke(args=["courses", "sync-calendars", *args])


def serve(path: str, body: bytes, status: int = 200, **headers) -> None:
    Feeds.routes[path] = (status, body, headers)


def rows() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (Course, CourseSession, Meeting, CalendarImport)
    )


@pytest.fixture
def provider(app, monkeypatch, make_provider, server):
    # The test server listens on 127.0.0.1, which is refused unless named.
    monkeypatch.setitem(app.config, "CALENDAR_FETCH_PRIVATE_HOSTS", ("127.0.0.1",))
    provider = make_provider(name="Feedudbyder")
    provider.feed_url = f"{server[1]}/feed.ics"
    db.session.commit()
    return provider


def imported() -> dict[str, CourseSession]:
    return {cs.provider_uid: cs for cs in db.session.scalars(sa.select(CourseSession))}


def test_sync_creates_then_reports_unchanged(app, provider):
    serve("/feed.ics", FEED)

    first = sync(app)
    before = rows()
    second = sync(app, "--force")

    assert first.exit_code == 0, first.output
    assert "2 created" in first.output
    assert set(imported()) == {"kursus-1@udbyder", "kursus-2@udbyder"}
    assert second.exit_code == 0
    assert "unchanged" in second.output
    assert rows() == before


def test_sync_applies_changes_and_drops(app, provider):
    serve("/feed.ics", FEED)
    sync(app)
    moved = calendar(
        event(
            "kursus-1@udbyder",
            cph(f"{nov(10)}T100000"),
            cph(f"{nov(10)}T150000"),
            "Samtaler med unge",
        ),
    )
    serve("/feed.ics", moved)

    result = sync(app, "--force")

    assert result.exit_code == 0, result.output
    assert "1 changed, 1 cancelled" in result.output
    found = imported()
    assert found["kursus-1@udbyder"].meetings[0].sequence == 1
    assert found["kursus-2@udbyder"].status is SessionStatus.cancelled


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"", 404, "Kalenderabonnementet kunne ikke hentes"),
        (b"\x89PNG\r\n\x1a\n\x00garbage", 200, "UTF-8"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", 200, "BEGIN- og END"),
    ],
)
def test_bad_feeds_change_nothing_and_fail(app, provider, body, status, message):
    serve("/feed.ics", body, status)
    before = rows()

    result = sync(app)

    assert result.exit_code == 1
    assert message in result.output
    assert provider.key in result.output
    assert rows() == before


def test_feed_over_the_size_cap_is_refused(app, provider, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_IMPORT_MAX_BYTES", 100)
    serve("/feed.ics", FEED)

    result = sync(app)

    assert result.exit_code == 1
    assert "Filen er for stor" in result.output


def test_slow_feed_times_out(app, provider, monkeypatch):
    # The server would answer after a minute; the sync gives up at its timeout
    # and says so. The bounds are loose on purpose: at least the timeout (it
    # waited for the server), far below the server's minute (it did not wait for
    # the answer), so a loaded machine cannot make the test fail.
    monkeypatch.setitem(app.config, "CALENDAR_FETCH_TIMEOUT", 0.5)
    serve("/feed.ics", FEED, sleep=60)

    started = time.monotonic()
    result = sync(app)
    took = time.monotonic() - started

    assert result.exit_code == 1
    assert "kunne ikke hentes" in result.output
    assert len(Feeds.requests) == 1  # it reached the server, then gave up
    assert 0.5 <= took < 30
    assert imported() == {}


@pytest.mark.parametrize(
    "address",
    [
        "{server}/feed.ics",
        "http://localhost:{port}/feed.ics",
        "http://169.254.169.254/",
        "https://udbyder.example:99999/feed.ics",  # no such port
    ],
)
def test_feeds_on_the_machine_or_internal_network_or_nowhere_are_refused(
    app, monkeypatch, provider, server, address
):
    monkeypatch.setitem(app.config, "CALENDAR_FETCH_PRIVATE_HOSTS", ())
    serve("/feed.ics", FEED)
    provider.feed_url = address.format(server=server[1], port=server[0].server_port)
    db.session.commit()

    result = sync(app)

    assert result.exit_code == 1
    assert "kunne ikke hentes" in result.output
    assert Feeds.requests == []  # refused before connecting
    assert imported() == {}


def test_a_redirect_to_the_internal_network_is_refused(app, provider, server):
    # Only 127.0.0.1 is allowed; "localhost" names the same server, unallowed.
    moved = f"http://localhost:{server[0].server_port}/moved.ics"
    serve("/feed.ics", b"", 302, Location=moved)
    serve("/moved.ics", FEED)

    result = sync(app)

    assert result.exit_code == 1
    assert "kunne ikke hentes" in result.output
    assert len(Feeds.requests) == 1  # the redirect was not followed
    assert imported() == {}


def test_redirect_to_a_local_file_is_refused(app, provider):
    serve("/feed.ics", b"", 302, Location="file:///etc/passwd")

    result = sync(app)

    assert result.exit_code == 1
    assert "kunne ikke hentes" in result.output


def test_only_chosen_provider_and_providers_with_feeds(
    app, provider, make_provider, server
):
    other = make_provider(name="Anden")
    other.feed_url = f"{server[1]}/other.ics"
    make_provider(name="Uden feed")
    db.session.commit()
    serve("/feed.ics", FEED)
    serve("/other.ics", b"", 500)

    result = sync(app, "--provider", provider.key)

    assert result.exit_code == 0, result.output
    assert other.key not in result.output
    assert len(imported()) == 2


def hours_ago(provider, hours: float) -> None:
    """Pretend the provider's feed was last read `hours` ago."""
    check = db.session.get(FeedCheck, provider.id)
    check.checked_at = utcnow() - timedelta(hours=hours)
    db.session.commit()


def test_a_feed_is_read_again_only_when_due(app, provider):
    serve("/feed.ics", FEED)
    sync(app)

    early = sync(app)
    hours_ago(provider, 1.1)  # the default interval is an hour
    due = sync(app)

    assert "not due until" in early.output
    assert len(Feeds.requests) == 2  # the first read and the due one
    assert f"{provider.key}: unchanged" in due.output


@pytest.mark.parametrize(
    ("line", "waits_hours"),
    [
        ("REFRESH-INTERVAL;VALUE=DURATION:P1D", 24),
        ("X-PUBLISHED-TTL:PT6H", 6),
        ("REFRESH-INTERVAL;VALUE=DURATION:PT1M", 0.25),  # never under 15 minutes
    ],
)
def test_the_feeds_own_refresh_interval_is_honoured(app, provider, line, waits_hours):
    serve(
        "/feed.ics",
        FEED.replace(b"VERSION:2.0\r\n", f"VERSION:2.0\r\n{line}\r\n".encode()),
    )
    sync(app)

    hours_ago(provider, waits_hours * 0.9)
    before = sync(app)
    hours_ago(provider, waits_hours * 1.1)
    after = sync(app)

    assert "not due until" in before.output
    assert "unchanged" in after.output


def test_the_next_read_asks_with_the_etag_and_a_304_changes_nothing(app, provider):
    last_modified = format_datetime(utcnow() - timedelta(days=9), usegmt=True)
    serve(
        "/feed.ics",
        FEED,
        ETag='"v1"',
        **{"Last-Modified": last_modified},
    )
    sync(app)
    before = rows()

    result = sync(app, "--force")

    assert "unchanged (304)" in result.output
    assert Feeds.requests[-1]["If-None-Match"] == '"v1"'
    assert Feeds.requests[-1]["If-Modified-Since"] == last_modified
    assert rows() == before


def test_a_file_that_failed_is_fetched_in_full_next_time(app, provider):
    serve(
        "/feed.ics",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
        ETag='"bad"',
    )
    failed = sync(app)
    serve("/feed.ics", FEED, ETag='"bad"')  # the provider fixed it, but not the ETag

    fixed = sync(app, "--force")

    assert failed.exit_code == 1
    assert "If-None-Match" not in Feeds.requests[-1]
    assert "2 created" in fixed.output


def test_prune_deletes_only_old_unapplied_uploads(app, provider):
    old, _ = imports.store(None, provider, FEED)
    fresh, _ = imports.store(None, provider, FEED)
    applied, _ = imports.store(None, provider, FEED)
    imports.apply(None, applied)
    for item in (old, applied):
        item.created_at = utcnow() - timedelta(days=30)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["courses", "prune-calendar-imports"])

    assert result.exit_code == 0, result.output
    assert "1 unapplied" in result.output
    left = set(db.session.scalars(sa.select(CalendarImport.id)))
    assert left == {fresh.id, applied.id}


def noon(day) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=12)


@pytest.mark.parametrize("etag", [False, True])
def test_an_unchanged_feed_extends_its_open_series_a_day_later(
    app, provider, travel, etag
):
    # Issue 16: series are read from today to the horizon; the same bytes (or a
    # 304) on a later day still give the next weeks' meetings.
    app.config["CALENDAR_IMPORT_HORIZON_DAYS"] = 21
    travel(noon(clock.today()))
    began = clock.today() - timedelta(days=400)
    feed = calendar(
        event(
            "weekly@udbyder",
            cph(f"{ics(began)}T090000"),
            cph(f"{ics(began)}T110000"),
            rrule=":FREQ=WEEKLY",
        )
    )
    serve("/feed.ics", feed, **({"ETag": '"v1"'} if etag else {}))
    sync(app)
    first = {m.id for m in imported()["weekly@udbyder"].meetings}

    travel(noon(clock.today() + timedelta(weeks=3)))
    result = sync(app, "--force")

    assert result.exit_code == 0, result.output
    assert "1 changed" in result.output
    meetings = imported()["weekly@udbyder"].meetings
    assert first < {m.id for m in meetings}
    assert not any(m.cancelled for m in meetings)
    again = sync(app, "--force")
    assert "unchanged" in again.output


@pytest.mark.parametrize("etag", [False, True])
def test_an_unchanged_feed_read_on_later_days_is_kept_once(
    app, provider, travel, monkeypatch, etag
):
    # Applying the same bytes again each day must not keep a copy of them each
    # day: a 5 MB feed would grow the database by 1.8 GB a year.
    monkeypatch.setitem(app.config, "CALENDAR_IMPORT_HORIZON_DAYS", 21)
    travel(noon(clock.today()))
    began = clock.today() - timedelta(days=400)
    feed = calendar(
        event(
            "weekly@udbyder",
            cph(f"{ics(began)}T090000"),
            cph(f"{ics(began)}T110000"),
            rrule=":FREQ=WEEKLY",
        )
    )
    serve("/feed.ics", feed, **({"ETag": '"v1"'} if etag else {}))
    sync(app)
    (stored,) = db.session.scalars(sa.select(CalendarImport)).all()
    first_applied = stored.applied_at

    for _ in range(3):
        travel(noon(clock.today() + timedelta(days=1)))
        result = sync(app, "--force")
        assert result.exit_code == 0, result.output

    db.session.expire_all()
    (kept,) = db.session.scalars(sa.select(CalendarImport)).all()
    assert kept.id == stored.id
    assert kept.applied_at > first_applied
    last = max(m.first_day for m in imported()["weekly@udbyder"].meetings)
    assert last > clock.today() + timedelta(days=14)

    serve("/feed.ics", feed.replace(b"FREQ=WEEKLY", b"FREQ=WEEKLY;INTERVAL=2"))
    travel(noon(clock.today() + timedelta(days=1)))
    sync(app, "--force")
    assert len(db.session.scalars(sa.select(CalendarImport)).all()) == 2
