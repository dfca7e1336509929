"""Issue 16's property: every meeting of every session an import creates can be
written to every feed it appears in (the provider's feed, the booked person's
feed and booking file), whatever mix of real-world shapes the file has."""

from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.db import db, utcnow
from core.people.models import User
from courses.bookings.models import Booking, BookingStatus
from courses.calendars import imports, services
from courses.calendars.imports import CalendarImportError
from courses.catalogue.models import Course, CourseStatus
from courses.sessions.models import CourseSession, Meeting
from tests.courses.calendars.conftest import events_of
from tests.courses.calendars.icsfiles import NOVEMBER, calendar, cph, event
from tests.dates import ics, today

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _day(n: int) -> str:
    return ics(NOVEMBER[5] + timedelta(days=n))


@st.composite
def shapes(draw):
    """One UID written as a real calendar program might write it."""
    uid = draw(st.uuids()).hex + "@x"
    day = draw(st.integers(0, 40))
    hour = draw(st.integers(0, 20))
    length = draw(st.integers(0, 3))
    start, end = f"{_day(day)}T{hour:02d}0000", f"{_day(day)}T{hour + length:02d}0000"
    kind = draw(
        st.sampled_from(
            ["cph", "utc", "floating", "pacific", "date", "google", "mozilla"]
        )
    )
    lines = {
        "cph": (cph(start), cph(end)),
        "utc": (f":{start}Z", f":{end}Z"),
        "floating": (f":{start}", f":{end}"),
        "pacific": (f";TZID=US/Pacific:{start}", f";TZID=US/Pacific:{end}"),
        "date": (f";VALUE=DATE:{_day(day)}", f";VALUE=DATE:{_day(day + length)}"),
        "google": (f";TZID=US/Pacific:{_day(day)}", ""),
        "mozilla": (f";TZID=America/New_York:{start}", f":{end}"),
    }[kind]
    props = {}
    recurring = draw(st.booleans())
    if recurring:
        props["rrule"] = draw(
            st.sampled_from([":FREQ=WEEKLY;COUNT=4", ":FREQ=DAILY", ":FREQ=WEEKLY"])
        )
    if draw(st.booleans()):
        props["rdate"] = f";VALUE=PERIOD:{_day(day + 2)}T080000Z/PT{length + 1}H"
    found = [event(uid, *lines, **props)]
    if recurring:
        # An override of the second instance: timed, all-day, or a range.
        moved = draw(st.sampled_from(["timed", "date", "range"]))
        second = _day(day + 7 if "WEEKLY" in props["rrule"] else day + 1)
        rid = (
            lines[0].rsplit(":", 1)[0]
            + ":"
            + (second if kind in ("date", "google") else f"{second}T{start[9:]}")
        )
        new = {
            "timed": (cph(f"{second}T100000"), cph(f"{second}T120000")),
            "date": (f";VALUE=DATE:{second}", ""),
            "range": (cph(f"{second}T140000"), cph(f"{second}T150000")),
        }[moved]
        if moved == "range":
            rid = ";RANGE=THISANDFUTURE" + rid
        found.append(event(uid, *new, recurrence_id=rid))
    return found


calendars = st.lists(shapes(), min_size=1, max_size=4).map(
    lambda groups: calendar(*(e for g in groups for e in g))
)


def _written_uids(data: bytes) -> set[str]:
    return set(events_of(data))


@SETTINGS
@given(data=calendars)
def test_every_imported_meeting_can_be_written_to_every_feed(
    app, make_provider, create_user, data
):
    provider = db.session.scalar(sa.select(imports.Provider).limit(1))
    provider = provider or make_provider(name="Hypotese")
    person = db.session.scalar(sa.select(User).limit(1)) or create_user()
    try:
        try:
            stored, _events = imports.store(None, provider, data)
            imports.apply(None, stored)
        except CalendarImportError:
            assume(False)  # refused files are another test's business
        # The new courses are drafts; published, their meetings go in the feed.
        db.session.execute(
            sa.update(Course)
            .where(Course.provider_id == provider.id)
            .values(status=CourseStatus.published)
        )
        found = db.session.scalars(
            sa.select(CourseSession)
            .join(CourseSession.course)
            .where(Course.provider_id == provider.id)
        ).all()
        meetings = [m for cs in found for m in cs.meetings]
        for course_session in found:
            db.session.add(
                Booking(
                    user_id=person.id,
                    course_session_id=course_session.id,
                    status=BookingStatus.confirmed,
                    budget_year=today().year,
                )
            )
        db.session.flush()

        assert services.feed_problems(provider) == []
        state = services.FeedState(provider.id, provider.name, "x", utcnow())
        assert _written_uids(services.provider_feed(state)) == {
            services.meeting_uid(m.id) for m in meetings
        }
        mine = services.FeedState(person.id, person.name, "x", utcnow())
        assert _written_uids(services.personal_feed(mine)) == {
            services.person_meeting_uid(m.id, person.id) for m in meetings
        }
        for booking in db.session.scalars(sa.select(Booking)):
            ics_file = services.booking_ics(booking)
            wanted = {
                services.person_meeting_uid(m.id, person.id)
                for m in db.session.scalars(
                    sa.select(Meeting).where(
                        Meeting.course_session_id == booking.course_session_id
                    )
                )
            }
            assert _written_uids(ics_file) == wanted
    finally:
        db.session.rollback()
