"""Provider and personal feeds, booking files and invitations, through real HTTP."""

from datetime import time, timedelta
from time import sleep

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from core.db import db, utcnow
from core.prepared_read import PreparedRead
from courses.calendars import services
from courses.sessions import services as sessions
from courses.sessions.models import CourseSession, SessionStatus
from tests.courses.calendars.conftest import events_of
from tests.courses.catalogue import factories
from tests.dates import future_year, last_sunday


def feed_url(provider) -> str:
    return f"/kalender/udbyder/{provider.id}.ics"


def test_provider_feed_round_trip(client, make_provider, make_course, make_session):
    provider = make_provider(name="COK")
    course = make_course(provider, title="Samtaler med unge")
    live = make_session(course, days=(30, 31), location="Vejle")
    gone = make_session(course, days=(40,))
    sessions.cancel_session(None, gone, reason="Aflyst")
    make_session(course, days=(50,), status=SessionStatus.planned)
    db.session.commit()

    response = client.get(feed_url(provider))

    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Kurser hos COK"
    assert str(calendar["COLOR"]) == "teal"  # RFC 7986
    assert str(calendar["NAME"]) == "Kurser hos COK"
    assert "REFRESH-INTERVAL" in calendar
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
        "Europe/Copenhagen"
    ]
    events = events_of(response.data)
    expected = {services.meeting_uid(m.id) for m in live.meetings + gone.meetings}
    assert set(events) == expected
    first = events[services.meeting_uid(live.meetings[0].id)]
    assert first.decoded("DTSTART") == live.meetings[0].starts_at
    assert str(first["SUMMARY"]) == "Samtaler med unge"
    assert str(first["LOCATION"]) == "Lokale 1"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert first.decoded("DTSTAMP") == live.meetings[0].updated_at.replace(
        microsecond=0
    )
    cancelled = events[services.meeting_uid(gone.meetings[0].id)]
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_feed_bytes_are_stable_between_requests(
    client, make_provider, make_course, make_session
):
    provider = make_provider()
    make_session(make_course(provider), days=(30, 31, 32))

    first = client.get(feed_url(provider))
    second = client.get(feed_url(provider))

    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]


def test_unknown_provider_feed_is_404(client, app):
    assert client.get("/kalender/udbyder/999.ics").status_code == 404


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
@pytest.mark.parametrize(("lifetime", "reads"), [(0, 1), (60, 0)])
def test_current_copy_gets_304_from_one_query_or_none(
    app,
    monkeypatch,
    client,
    count_queries,
    make_provider,
    make_course,
    make_session,
    header,
    lifetime,
    reads,
):
    """One primary-key read; none when this worker read the state moments ago."""
    monkeypatch.setitem(app.config, "CALENDAR_FEED_STATE_SECONDS", lifetime)
    provider = make_provider()
    make_session(make_course(provider), days=(30,))
    first = client.get(feed_url(provider))
    value = (
        first.headers["ETag"]
        if header == "If-None-Match"
        else (first.headers["Last-Modified"])
    )

    url = feed_url(provider)
    with count_queries() as queries:
        response = client.get(url, headers={header: value})

    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == first.headers["ETag"]
    assert len(queries) == reads  # the feed is never built


def test_a_change_from_another_worker_shows_once_the_state_is_old(
    app, monkeypatch, client, make_provider, make_course, make_session
):
    """A raw UPDATE passes by this worker's flush hooks, as another worker's
    change does: a poll within the lifetime is still told 304, a later one not."""
    monkeypatch.setitem(app.config, "CALENDAR_FEED_STATE_SECONDS", 0.3)
    provider = make_provider()
    make_session(make_course(provider), days=(30,))
    etag = client.get(feed_url(provider)).headers["ETag"]
    db.session.execute(sa.text("UPDATE calendar_feed_stamps SET version = version + 1"))
    db.session.commit()
    headers = {"If-None-Match": etag}

    soon = client.get(feed_url(provider), headers=headers)
    sleep(0.4)
    later = client.get(feed_url(provider), headers=headers)

    assert soon.status_code == 304
    assert later.status_code == 200
    assert later.headers["ETag"] != etag


def test_the_state_read_through_the_driver_is_the_state_sqlalchemy_reads(
    client, count_queries, make_provider, make_course, make_session
):
    """The 304's read goes straight through the driver (core.prepared_read)
    when nothing counts statements: the same ETag and Last-Modified as the
    counted read through SQLAlchemy, and a change through the product is in
    the next one."""
    provider = make_provider()
    course_session = make_session(make_course(provider), days=(30,))
    db.session.commit()
    assert not PreparedRead.watched(db.engine)
    direct = services.provider_feed_state(provider.id)
    with count_queries() as queries:
        counted = services.provider_feed_state(provider.id)
    assert len(queries) == 1
    assert direct == counted
    assert services.provider_feed_state(provider.id + 1000) is None

    sessions.cancel_session(None, course_session, reason="Aflyst")
    db.session.commit()
    after = services.provider_feed_state(provider.id)

    assert after.etag != direct.etag
    assert after.last_modified >= direct.last_modified
    response = client.get(feed_url(provider), headers={"If-None-Match": direct.etag})
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{after.etag}"'
    assert response.headers["Cache-Control"] == "no-cache, public"
    again = client.get(feed_url(provider), headers={"If-None-Match": after.etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == f'"{after.etag}"'
    assert again.headers["Cache-Control"] == "no-cache, public"


def test_stale_validators_get_the_new_feed(
    client, make_provider, make_course, make_session
):
    provider = make_provider()
    course_session = make_session(make_course(provider), days=(30,))
    first = client.get(feed_url(provider))
    meeting = course_session.meetings[0]
    sessions.update_meeting(
        None,
        meeting,
        sessions.MeetingInput(
            day=meeting.starts_at.date(), start=time(10), end=time(14)
        ),
    )
    db.session.commit()

    by_etag = client.get(
        feed_url(provider), headers={"If-None-Match": first.headers["ETag"]}
    )
    old = (utcnow() - timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    by_date = client.get(feed_url(provider), headers={"If-Modified-Since": old})

    assert by_etag.status_code == 200
    assert by_etag.headers["ETag"] != first.headers["ETag"]
    assert by_date.status_code == 200


def test_feed_queries_do_not_grow_with_the_data(
    client, count_queries, make_provider, make_course, make_session
):
    small, large = make_provider(), make_provider()
    make_session(make_course(small), days=(30,))
    for offset in range(0, 40, 4):
        make_session(make_course(large), days=(30 + offset, 31 + offset))

    counts = []
    for url in (feed_url(small), feed_url(large)):
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] == 2  # one aggregate, one for the rows


def test_sequence_rises_and_cancelled_meeting_stays(
    client, make_provider, make_course, make_session
):
    provider = make_provider()
    course_session = make_session(make_course(provider), days=(30, 31))
    meeting, other = course_session.meetings
    uid = services.meeting_uid(meeting.id)
    before = events_of(client.get(feed_url(provider)).data)[uid]

    sessions.update_meeting(
        None,
        meeting,
        sessions.MeetingInput(
            day=meeting.starts_at.date(), start=time(8), end=time(12), place="Aarhus"
        ),
    )
    db.session.commit()
    moved = events_of(client.get(feed_url(provider)).data)[uid]
    sessions.cancel_session(
        None, db.session.get(type(course_session), course_session.id), reason="Syg"
    )
    db.session.commit()
    cancelled = events_of(client.get(feed_url(provider)).data)

    assert moved["SEQUENCE"] > before["SEQUENCE"]
    assert str(moved["LOCATION"]) == "Aarhus"
    assert cancelled[uid]["SEQUENCE"] > moved["SEQUENCE"]
    assert str(cancelled[uid]["STATUS"]) == "CANCELLED"
    assert str(cancelled[services.meeting_uid(other.id)]["STATUS"]) == "CANCELLED"


def test_session_place_change_raises_sequence(
    client, make_provider, make_course, make_session
):
    provider = make_provider()
    course_session = make_session(make_course(provider), days=(30,))
    db.session.get(
        type(course_session.meetings[0]), course_session.meetings[0].id
    ).place = ""
    db.session.commit()
    uid = services.meeting_uid(course_session.meetings[0].id)
    before = events_of(client.get(feed_url(provider)).data)[uid]

    sessions.update_session(None, course_session, location="Odense")
    db.session.commit()
    after = events_of(client.get(feed_url(provider)).data)[uid]

    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["LOCATION"]) == "Odense"


INJECTIONS = [
    "Kursus\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT",
    "Titel; med, komma \\ og\nny linje",
    "Styre\x01tegn og \x1b escape",
    "Æbleskiver ☃ " * 20,
]


@pytest.mark.parametrize("title", INJECTIONS)
def test_titles_cannot_inject_properties(
    client, make_provider, make_course, make_session, title
):
    provider = make_provider()
    make_session(make_course(provider, title=title), days=(30,))

    data = client.get(feed_url(provider)).data
    events = list(events_of(data).values())

    assert len(events) == 1
    assert b"\r\nUID:evil" not in data.replace(b"\r\n ", b"")
    assert str(events[0]["SUMMARY"]) == title.strip().replace("\r\n", "\n").replace(
        "\x01", ""
    ).replace("\x1b", "")


def test_meetings_across_october_dst_keep_local_time(
    client, make_provider, make_course
):
    provider = make_provider()
    course = make_course(provider)
    autumn = last_sunday(future_year(10, 1), 10)  # the clocks go back
    days = [autumn - timedelta(days=3), autumn + timedelta(days=4)]  # Thursdays
    sessions.create_session(
        None,
        course,
        capacity=5,
        meetings=[
            sessions.MeetingInput(day=d, start=time(9), end=time(12)) for d in days
        ],
    )
    db.session.commit()

    events = sorted(
        events_of(client.get(feed_url(provider)).data).values(),
        key=lambda e: e.decoded("DTSTART"),
    )

    starts = [e.decoded("DTSTART") for e in events]
    assert [s.hour for s in starts] == [9, 9]
    assert [str(s.tzinfo) for s in starts] == ["Europe/Copenhagen"] * 2
    assert [s.utcoffset() for s in starts] == [timedelta(hours=2), timedelta(hours=1)]


def test_etag_follows_every_change_that_shows_in_the_feed(
    client, make_provider, make_course, make_session
):
    provider, other = make_provider(), make_provider()
    course = make_course(provider, title="Før")
    course_session = make_session(course, days=(30,))
    first = client.get(feed_url(provider))

    make_session(make_course(other), days=(30,))  # another provider's change
    unrelated = client.get(feed_url(provider))
    course.title = "Efter"
    db.session.commit()
    renamed = client.get(feed_url(provider))
    # The next working day after the session's own (day 30 may be a holiday that
    # both would otherwise move to).
    sessions.add_meeting(None, course_session, factories.meeting_after(course_session))
    db.session.commit()
    added = client.get(feed_url(provider))

    assert unrelated.headers["ETag"] == first.headers["ETag"]
    assert b"SUMMARY:Efter" in renamed.data
    assert (
        len({first.headers["ETag"], renamed.headers["ETag"], added.headers["ETag"]})
        == 3
    )


def test_seat_counter_changes_neither_bytes_nor_etag(
    client, make_provider, make_course, make_session
):
    provider = make_provider()
    course_session = make_session(make_course(provider), days=(30,))
    first = client.get(feed_url(provider))

    db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == course_session.id)
        .values(seats_taken=CourseSession.seats_taken + 1)
    )
    db.session.commit()
    second = client.get(feed_url(provider))

    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.data == first.data
