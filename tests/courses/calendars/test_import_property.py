"""Generated calendars and garbage thrown at the import service: it either applies
the file or refuses it with CalendarImportError, never writes half, and a second
import of a file it accepted changes nothing."""

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import event as outcome
from hypothesis import strategies as st

from core.audit import AuditEvent
from core.db import db
from courses.calendars import imports
from courses.calendars.imports import CalendarImportError
from courses.calendars.models import CalendarImport
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting
from tests.courses.calendars.icsfiles import calendar, cph, event

TABLES = (Course, CourseSession, Meeting, CalendarImport, AuditEvent)
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES
    )


stamps = st.builds(
    lambda d, h, m: f"2026{d // 28 + 1:02d}{d % 28 + 1:02d}T{h:02d}{m:02d}00",
    st.integers(0, 335),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
)
text = st.text(max_size=40)
extras = st.fixed_dictionaries(
    {},
    optional={
        "rrule": st.sampled_from(
            [
                ":FREQ=WEEKLY;COUNT=3",
                ":FREQ=DAILY;INTERVAL=2;COUNT=4",
                ":FREQ=MONTHLY;BYDAY=1TU;COUNT=3",
                ":FREQ=YEARLY",
                ":FREQ=WEEKLY;COUNT=0",
            ]
        ),
        "status": st.sampled_from([":CANCELLED", ":TENTATIVE", ":CONFIRMED", ":X"]),
        "x_capacity": st.sampled_from([":0", ":12", ":abc", ": 7 "]),
        "location": text.map(lambda t: ":" + t),
        "categories": text.map(lambda t: ":" + t),
    },
)


@st.composite
def events(draw):
    uid = draw(st.sampled_from(["a@x", "b@x", "c@x", "d@x", "ø@x"]))
    start = draw(stamps)
    hours = draw(st.integers(-1, 30))
    end = start[:9] + f"{min(max(int(start[9:11]) + hours, 0), 23):02d}" + start[11:]
    zone = draw(st.sampled_from(["cph", "utc", "floating", "date"]))
    if zone == "cph":
        start_line, end_line = cph(start), cph(end)
    elif zone == "utc":
        start_line, end_line = f":{start}Z", f":{end}Z"
    elif zone == "floating":
        start_line, end_line = f":{start}", f":{end}"
    else:
        start_line, end_line = f";VALUE=DATE:{start[:8]}", ""
    summary = draw(text)
    return event(uid, start_line, end_line, summary, **draw(extras))


calendars = st.lists(events(), max_size=5).map(lambda evs: calendar(*evs))


@st.composite
def mangled(draw):
    data = bytearray(draw(calendars))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["drop", "insert", "flip"]))
        if action == "drop":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif data:
            data[at] ^= draw(st.integers(1, 255))
    return bytes(data)


def import_once(provider, data: bytes):
    before = counts()
    try:
        stored, _events = imports.store(None, provider, data)
        return imports.apply(None, stored)
    except CalendarImportError as exc:
        outcome(f"refused: {exc.code}")
        assert counts() == before  # refused before anything was written
        return None


def check(provider, data: bytes) -> None:
    try:
        plan = import_once(provider, data)
        if plan is not None:
            outcome(f"applied: {plan.counts['create']} created")
            again = import_once(provider, data)
            assert again is not None
            assert again.counts["create"] == again.counts["change"] == 0
            assert again.counts["cancel"] == 0
    finally:
        db.session.rollback()


@SETTINGS
@given(data=calendars)
def test_generated_calendars(make_provider, data):
    check(_provider(make_provider), data)


@SETTINGS
@given(data=mangled())
def test_mangled_calendars(make_provider, data):
    check(_provider(make_provider), data)


@SETTINGS
@given(data=st.binary(max_size=600))
def test_garbage(make_provider, data):
    check(_provider(make_provider), data)


def _provider(make_provider):
    # One provider for all examples of a test; examples roll their writes back.
    provider = db.session.scalar(sa.select(imports.Provider).limit(1))
    return provider or make_provider(name="Hypotese")
