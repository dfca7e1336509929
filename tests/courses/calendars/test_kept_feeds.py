"""A provider feed's bytes kept per worker under its state (issue 19): a repeated
full answer reads only the state, and every change to what the feed shows,
made through the product or by another worker, is in the next answer."""

from datetime import time

import pytest
import sqlalchemy as sa

from core.db import db
from courses.calendars import imports, services
from courses.calendars.kept_feeds import KeptFeeds
from courses.calendars.models import CalendarFeedStamp
from courses.catalogue import services as catalogue
from courses.catalogue.models import Course, CourseStatus
from courses.sessions import services as sessions
from courses.sessions.models import Meeting
from tests.courses.calendars.conftest import events_of
from tests.courses.calendars.icsfiles import calendar, cph, event, nov
from tests.courses.catalogue.factories import make_course, make_session, meeting_after


def feed_url(provider) -> str:
    return f"/kalender/udbyder/{provider.id}.ics"


def test_a_repeated_full_answer_reads_only_the_state(
    client, count_queries, make_provider, make_course, make_session
):
    provider = make_provider()
    make_session(make_course(provider), days=(30, 31))
    url = feed_url(provider)
    first = client.get(url)

    with count_queries() as queries:
        again = client.get(url)

    assert again.status_code == 200
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert len(queries) == 1  # the state; the bytes were kept


def _move(course_session):
    meeting = course_session.meetings[0]
    sessions.update_meeting(
        None,
        meeting,
        sessions.MeetingInput(
            day=meeting.starts_at.date(), start=time(8), end=time(12), place="Aarhus"
        ),
    )


def _cancel_meeting(course_session):
    sessions.cancel_meeting(None, course_session.meetings[1])


def _cancel_session(course_session):
    sessions.cancel_session(None, course_session, reason="Underviseren er syg")


def _add_meeting(course_session):
    sessions.add_meeting(None, course_session, meeting_after(course_session))


def _new_session(course_session):
    sessions.create_session(
        None, course_session.course, meetings=[meeting_after(course_session)]
    )


def _retitle_course(course_session):
    catalogue.update_course(None, course_session.course, title="Nyt kursusnavn")


def _publish_a_draft(course_session):
    draft = make_course(
        course_session.course.provider, status=CourseStatus.draft, title="Kladde"
    )
    make_session(draft, days=(40,))
    catalogue.publish_course(None, draft)


def _rename_provider(course_session):
    catalogue.update_provider(None, course_session.course.provider, name="Nyt navn")


@pytest.mark.parametrize(
    "change",
    [
        _move,
        _cancel_meeting,
        _cancel_session,
        _add_meeting,
        _new_session,
        _retitle_course,
        _publish_a_draft,
        _rename_provider,
    ],
)
def test_every_change_is_in_the_next_answer(client, make_provider, change):
    provider = make_provider(name="COK")
    course_session = make_session(
        make_course(provider, title="Samtaler"), days=(30, 31)
    )
    kept = client.get(feed_url(provider))
    assert client.get(feed_url(provider)).data == kept.data

    change(course_session)
    db.session.commit()
    db.session.expire_all()
    served = client.get(feed_url(provider))
    services_state = services.provider_feed_state(provider.id)

    assert served.headers["ETag"] != kept.headers["ETag"]
    assert served.data != kept.data
    assert served.data == services.provider_feed(services_state)  # built afresh


def test_another_workers_change_is_in_the_next_answer(
    client, make_provider, make_course, make_session
):
    """A raw UPDATE passes by this worker's flush hooks, as another worker's or
    server's change does; that worker's hooks raised the stamp with it."""
    provider = make_provider()
    make_session(make_course(provider), days=(30,))
    kept = client.get(feed_url(provider))

    db.session.execute(sa.update(Meeting).values(place="Fjernt lokale"))
    db.session.execute(sa.text("UPDATE calendar_feed_stamps SET version = version + 1"))
    db.session.commit()
    served = client.get(feed_url(provider))

    assert served.headers["ETag"] != kept.headers["ETag"]
    assert [str(e["LOCATION"]) for e in events_of(served.data).values()] == [
        "Fjernt lokale"
    ]


def _day(uid: str, n: int) -> str:
    day = nov(n)
    start, end = cph(f"{day}T090000"), cph(f"{day}T150000")
    return event(uid, start, end, summary="Kursus A", description=":Om samtaler")


def test_an_imported_session_is_in_the_next_answer(client, make_provider):
    """The calendar import inserts its new sessions in bulk, past the flush hook."""
    provider = make_provider()
    first = calendar(_day("a@udbyder", 5))
    stored, _events = imports.store(None, provider, first)
    imports.apply(None, stored)
    for course in db.session.scalars(
        sa.select(Course).where(Course.provider_id == provider.id)
    ):
        catalogue.publish_course(None, course)
    db.session.commit()
    kept = client.get(feed_url(provider))
    assert len(events_of(kept.data)) == 1

    both = calendar(_day("a@udbyder", 5), _day("b@udbyder", 12))
    stored, _events = imports.store(None, provider, both)
    imports.apply(None, stored)
    db.session.commit()
    served = client.get(feed_url(provider))

    assert served.headers["ETag"] != kept.headers["ETag"]
    assert len(events_of(served.data)) == 2


def test_the_store_keeps_at_most_its_bytes_and_forgets_the_oldest_first():
    kept = KeptFeeds(max_bytes=10)
    kept.put("a", "1", b"aaaa")
    kept.put("b", "1", b"bbbb")
    kept.put("a", "2", b"AAAA")  # a new state replaces the feed's old bytes
    kept.put("c", "1", b"cccc")  # 12 bytes: b, the oldest kept, goes
    kept.put("huge", "1", b"x" * 11)  # never kept

    assert kept.get("a", "1") is None
    assert kept.get("a", "2") == b"AAAA"
    assert kept.get("b", "1") is None
    assert kept.get("c", "1") == b"cccc"
    assert kept.get("huge", "1") is None
    assert kept.size() == 8


def test_an_import_of_many_new_courses_raises_the_stamp_once_per_write(
    app, make_provider
):
    """Each new course is flushed on its own; the stamp rises once for them all
    and once for the sessions written in bulk (it rose once per course before)."""
    provider = make_provider()
    titles = ("Samtaler", "Excel", "Jura", "Coaching", "Mødeledelse")
    data = calendar(
        *(
            event(
                f"{n}@udbyder",
                cph(f"{nov(5 + n)}T090000"),
                cph(f"{nov(5 + n)}T150000"),
                summary=title,
            )
            for n, title in enumerate(titles)
        )
    )
    before = services.provider_feed_state(provider.id).etag
    version = sa.select(CalendarFeedStamp.version).where(
        CalendarFeedStamp.provider_id == provider.id
    )
    was = db.session.scalar(version) or 0

    stored, _events = imports.store(None, provider, data)
    imports.apply(None, stored)
    db.session.commit()

    made = db.session.scalars(
        sa.select(Course.title).where(Course.provider_id == provider.id)
    ).all()
    assert sorted(made) == sorted(titles)
    assert db.session.scalar(version) == was + 2
    assert services.provider_feed_state(provider.id).etag != before
