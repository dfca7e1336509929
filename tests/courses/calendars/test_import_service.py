"""The import service: plan, apply, re-import, changes, cancellations, time zones."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from courses.calendars import imports
from courses.calendars.imports import CalendarImportError
from courses.calendars.models import CalendarImport
from courses.catalogue.models import Category, Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from courses.signals import session_cancelled, session_changed
from tests.courses.calendars.icsfiles import (
    NOVEMBER,
    YEAR,
    calendar,
    cph,
    dec,
    event,
    nov,
)
from tests.dates import ics, last_sunday

# Ten days before the last Sunday of October: a Thursday, summer time for two
# weeks and winter time for the next two.
AUTUMN_THURSDAY_ICS = ics(last_sunday(YEAR, 10) - timedelta(days=10))
JUNE = date(YEAR + 1, 6, 15)  # summer time (UTC+2)
JUNE_ICS = ics(JUNE)


SINGLE = event(
    "single-1@udbyder",
    cph(f"{nov(10)}T090000"),
    cph(f"{nov(10)}T150000"),
    "Samtaler med unge",
    location=":Vejle",
    x_capacity=":12",
)
SERIES = event(
    "series-1@udbyder",
    cph(f"{nov(5)}T130000"),
    cph(f"{nov(5)}T160000"),
    "Virksomhedskontakt",
    rrule=":FREQ=WEEKLY;COUNT=4",
    exdate=cph(f"{nov(12)}T130000"),
    location=":Aarhus",
)


def run(provider, data: bytes, choices=None, replace_all=False):
    stored, _events = imports.store(None, provider, data, replace_all=replace_all)
    plan = imports.apply(None, stored, choices)
    db.session.commit()
    return plan


def imported(provider) -> dict[str, CourseSession]:
    rows = db.session.scalars(
        sa.select(CourseSession)
        .join(CourseSession.course)
        .where(Course.provider_id == provider.id)
    ).all()
    return {cs.provider_uid: cs for cs in rows}


def counts() -> dict[str, int]:
    return {
        m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Course, CourseSession, Meeting, CalendarImport)
    }


@pytest.fixture
def provider(make_provider):
    return make_provider(name="VIA")


def test_new_file_creates_sessions_and_meetings(provider):
    plan = run(provider, calendar(SINGLE, SERIES))

    assert plan.counts["create"] == 2
    found = imported(provider)
    single, series = found["single-1@udbyder"], found["series-1@udbyder"]
    assert single.course.title == "Samtaler med unge"
    assert single.capacity == 12
    assert single.location == "Vejle"
    assert series.capacity == provider.default_capacity
    starts = [m.starts_at for m in series.meetings]
    assert [s.date() for s in starts] == [
        NOVEMBER[5],
        NOVEMBER[19],
        NOVEMBER[26],
    ]
    assert all(m.recurrence_id for m in series.meetings)
    assert single.meetings[0].recurrence_id == ""
    assert single.starts_at == datetime.combine(NOVEMBER[10], time(8), UTC)


def test_reimporting_the_same_file_changes_nothing(provider):
    data = calendar(SINGLE, SERIES)
    run(provider, data)
    before = {
        uid: (
            cs.sequence,
            cs.updated_at,
            [(m.sequence, m.updated_at) for m in cs.meetings],
        )
        for uid, cs in imported(provider).items()
    }
    rows = counts()

    plan = run(provider, data)

    assert plan.counts == {"create": 0, "change": 0, "cancel": 0, "same": 2, "skip": 0}
    after = {
        uid: (
            cs.sequence,
            cs.updated_at,
            [(m.sequence, m.updated_at) for m in cs.meetings],
        )
        for uid, cs in imported(provider).items()
    }
    assert after == before
    assert counts() == rows | {"calendar_imports": rows["calendar_imports"] + 1}


def test_moved_meeting_raises_sequence_signals_and_audits(provider):
    run(provider, calendar(SINGLE))
    moved = SINGLE.replace(f"{nov(10)}T090000", f"{nov(10)}T100000")
    heard = []

    def listen(sender, **kwargs):
        heard.append(sender.provider_uid)

    with session_changed.connected_to(listen):
        plan = run(provider, calendar(moved))

    (item,) = plan.of_kind("change")
    assert [m.kind for m in item.meetings] == ["change"]
    course_session = imported(provider)["single-1@udbyder"]
    assert course_session.meetings[0].sequence == 1
    assert course_session.sequence == 1
    assert course_session.meetings[0].starts_at == datetime.combine(
        NOVEMBER[10], time(9), UTC
    )
    assert heard == ["single-1@udbyder"]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.action == "course_session.import_change",
                AuditEvent.object_id == course_session.id,
            )
        )
        == 1
    )


def test_cancelled_event_cancels_the_session(provider):
    run(provider, calendar(SINGLE))
    heard = []

    def listen(sender, **kwargs):
        heard.append(sender.id)

    with session_cancelled.connected_to(listen):
        plan = run(
            provider,
            calendar(SINGLE.replace("END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT")),
        )

    course_session = imported(provider)["single-1@udbyder"]
    assert len(plan.of_kind("cancel")) == 1
    assert course_session.status is SessionStatus.cancelled
    assert course_session.meetings[0].cancelled
    assert heard == [course_session.id]


def test_exdate_added_later_cancels_one_meeting(provider):
    run(provider, calendar(SERIES))
    fewer = SERIES.replace(
        f"EXDATE;TZID=Europe/Copenhagen:{nov(12)}T130000",
        f"EXDATE;TZID=Europe/Copenhagen:{nov(12)}T130000,{nov(19)}T130000",
    )

    run(provider, calendar(fewer))

    meetings = imported(provider)["series-1@udbyder"].meetings
    assert [m.cancelled for m in meetings] == [False, True, False]
    assert meetings[1].sequence == 1


def test_overridden_instance_moves_one_meeting(provider):
    override = event(
        "series-1@udbyder",
        cph(f"{nov(19)}T140000"),
        cph(f"{nov(19)}T170000"),
        "Virksomhedskontakt",
        recurrence_id=cph(f"{nov(19)}T130000"),
    )
    run(provider, calendar(SERIES, override))

    meetings = imported(provider)["series-1@udbyder"].meetings
    assert [m.starts_at.hour for m in meetings] == [12, 13, 12]  # UTC, winter time


def test_weekly_series_across_october_dst_keeps_local_time(provider):
    series = event(
        "dst@udbyder",
        cph(f"{AUTUMN_THURSDAY_ICS}T090000"),
        cph(f"{AUTUMN_THURSDAY_ICS}T120000"),
        "Efterårskursus",
        rrule=":FREQ=WEEKLY;COUNT=4",
    )

    run(provider, calendar(series))

    meetings = imported(provider)["dst@udbyder"].meetings
    local = [m.starts_at.astimezone(imports.COPENHAGEN) for m in meetings]
    assert [m.hour for m in local] == [9, 9, 9, 9]
    assert [m.starts_at.hour for m in meetings] == [7, 7, 8, 8]  # UTC moves


def test_all_day_floating_and_utc_events(provider):
    all_day = event(
        "allday@x", f";VALUE=DATE:{dec(3)}", f";VALUE=DATE:{dec(5)}", "Seminar"
    )
    floating = event("float@x", f":{dec(10)}T090000", f":{dec(10)}T120000", "Flydende")
    utc = event("utc@x", f":{JUNE_ICS}T070000Z", f":{JUNE_ICS}T090000Z", "Sommer")
    stored, events = imports.store(None, provider, calendar(all_day, floating, utc))
    plan = imports.build_plan(provider, events)

    by_uid = {p.uid: p for p in plan.sessions}
    assert by_uid["allday@x"].event.all_day
    assert by_uid["float@x"].event.floating
    imports.apply(None, stored)
    db.session.commit()
    found = imported(provider)
    day = found["allday@x"].meetings[0]
    assert day.starts_at == datetime.combine(date(YEAR, 12, 2), time(23), UTC)
    assert day.ends_at - day.starts_at == timedelta(days=2)
    assert day.all_day
    assert (day.first_day, day.last_day) == (date(YEAR, 12, 3), date(YEAR, 12, 4))
    assert not found["float@x"].meetings[0].all_day
    assert found["float@x"].meetings[0].starts_at == datetime.combine(
        date(YEAR, 12, 10), time(8), UTC
    )
    assert found["utc@x"].meetings[0].starts_at == datetime.combine(JUNE, time(7), UTC)


def test_course_is_suggested_by_title_or_chosen(provider, make_course):
    known = make_course(provider, title="Samtaler med unge")
    other = make_course(provider, title="Noget andet")
    stored, events = imports.store(None, provider, calendar(SINGLE, SERIES))
    plan = imports.build_plan(provider, events)
    by_uid = {p.uid: p for p in plan.sessions}
    assert by_uid["single-1@udbyder"].course == known
    assert by_uid["series-1@udbyder"].choice == imports.NEW

    key = imports.choice_key(imports.BY_TITLE, "Virksomhedskontakt")
    imports.apply(None, stored, {key: str(other.id)})
    db.session.commit()

    assert imported(provider)["series-1@udbyder"].course_id == other.id


def test_course_of_another_provider_is_refused(provider, make_course):
    foreign = make_course(title="Fremmed")
    stored, _ = imports.store(None, provider, calendar(SINGLE))
    key = imports.choice_key(imports.BY_TITLE, "Samtaler med unge")
    rows = counts()

    with pytest.raises(CalendarImportError) as caught:
        imports.apply(None, stored, {key: str(foreign.id)})

    assert caught.value.code == "bad_course_choice"
    assert counts() == rows


def test_skip_choice_imports_nothing(provider):
    stored, _ = imports.store(None, provider, calendar(SINGLE))
    key = imports.choice_key(imports.BY_TITLE, "Samtaler med unge")
    imports.apply(None, stored, {key: imports.SKIP})
    assert imported(provider) == {}


def test_replace_all_cancels_sessions_missing_from_the_file(provider):
    run(provider, calendar(SINGLE, SERIES))

    plan = run(provider, calendar(SINGLE), replace_all=True)

    assert [p.uid for p in plan.of_kind("cancel")] == ["series-1@udbyder"]
    assert imported(provider)["series-1@udbyder"].status is SessionStatus.cancelled


def test_capacity_below_seats_taken_is_refused(provider):
    run(provider, calendar(SINGLE))
    course_session = imported(provider)["single-1@udbyder"]
    course_session.seats_taken = 5
    db.session.commit()
    rows = counts()

    with pytest.raises(CalendarImportError) as caught:
        run(provider, calendar(SINGLE.replace("X-CAPACITY:12", "X-CAPACITY:3")))

    assert caught.value.code == "capacity_below_taken"
    db.session.rollback()
    assert counts() == rows


def test_applied_import_cannot_be_applied_twice(provider):
    stored, _ = imports.store(None, provider, calendar(SINGLE))
    imports.apply(None, stored)
    with pytest.raises(CalendarImportError):
        imports.apply(None, stored)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (calendar(event("x", "", summary="Uden start")), "missing_dtstart"),
        (
            calendar(event("", cph(f"{nov(10)}T090000"), cph(f"{nov(10)}T100000"))),
            "missing_uid",
        ),
        (calendar(event("u", f";TZID=Mars/Olympus:{nov(10)}T090000")), "unknown_tz"),
        (calendar(event("u", cph(f"{YEAR}1310T090000"))), "bad_date"),
        (calendar(), "no_events"),
    ],
)
def test_malformed_files_are_refused_with_nothing_stored(provider, data, code):
    rows = counts()
    with pytest.raises(CalendarImportError) as caught:
        imports.store(None, provider, data)
    assert caught.value.code == code
    assert counts() == rows


def test_huge_file_is_refused_before_parsing(provider, app, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_IMPORT_MAX_BYTES", 1000)
    called = []
    monkeypatch.setattr(imports, "parse_calendar", lambda *a, **k: called.append(1))
    with pytest.raises(CalendarImportError) as caught:
        imports.store(None, provider, calendar(SINGLE) + b" " * 1000)
    assert caught.value.code == "too_large"
    assert called == []


def test_series_moved_to_a_later_hour_moves_its_meetings(provider):
    run(provider, calendar(SERIES))
    ids = [m.id for m in imported(provider)["series-1@udbyder"].meetings]
    later = SERIES.replace("T130000", "T140000").replace("T160000", "T170000")

    plan = run(provider, calendar(later))

    (item,) = plan.of_kind("change")
    assert [m.kind for m in item.meetings] == ["change"] * 3
    meetings = imported(provider)["series-1@udbyder"].meetings
    assert [m.id for m in meetings] == ids
    assert [m.starts_at.hour for m in meetings] == [13, 13, 13]
    assert all(m.sequence == 1 for m in meetings)
    assert run(provider, calendar(later)).counts["change"] == 0


def categorised(uid: str, title: str, category: str, day: int) -> str:
    stamp = f"{nov(day)}T"
    return event(
        uid,
        cph(stamp + "090000"),
        cph(stamp + "120000"),
        title,
        categories=f":{category}",
    )


CATEGORISED = calendar(
    categorised("a@x", "Jura for ledere, hold 1", "Jura", 10),
    categorised("b@x", "Jura for ledere, hold 2", "jura", 11),
    categorised("c@x", "Beskæftigelsesret", "Jura", 12),
    categorised("d@x", "Samtaler med unge", "Samtale", 13),
    event("e@x", cph(f"{nov(14)}T090000"), cph(f"{nov(14)}T120000"), "Uden kategori"),
)


def test_new_events_are_grouped_by_category_when_the_file_has_categories(provider):
    _stored, events = imports.store(None, provider, CATEGORISED)
    plan = imports.build_plan(provider, events)

    assert plan.group_by == imports.BY_CATEGORY
    groups = {(g.by, g.label): [p.uid for p in g.sessions] for g in plan.choices}
    # Categories match without regard to case; an event without one goes by title.
    assert groups == {
        ("category", "Jura"): ["a@x", "b@x", "c@x"],
        ("category", "Samtale"): ["d@x"],
        ("title", "Uden kategori"): ["e@x"],
    }
    jura = plan.choices[0]
    assert jura.titles == [
        "Jura for ledere, hold 1",
        "Jura for ledere, hold 2",
        "Beskæftigelsesret",
    ]


def test_one_choice_puts_a_whole_category_in_one_course(provider, make_course):
    course = make_course(provider, title="Jura i jobcentret")
    stored, _events = imports.store(None, provider, CATEGORISED)
    jura = imports.choice_key(imports.BY_CATEGORY, "Jura")
    samtale = imports.choice_key(imports.BY_CATEGORY, "Samtale")

    imports.apply(None, stored, {jura: str(course.id), samtale: imports.SKIP})
    db.session.commit()

    found = imported(provider)
    assert {found[u].course_id for u in ("a@x", "b@x", "c@x")} == {course.id}
    assert "d@x" not in found
    assert found["e@x"].course.title == "Uden kategori"


def test_a_new_course_per_title_when_a_category_group_is_new(provider):
    stored, _events = imports.store(None, provider, CATEGORISED)
    imports.apply(None, stored, group_by=imports.BY_CATEGORY)
    db.session.commit()

    found = imported(provider)
    titles = {uid: cs.course.title for uid, cs in found.items()}
    assert titles["a@x"] == "Jura for ledere, hold 1"
    assert titles["c@x"] == "Beskæftigelsesret"
    assert len({cs.course_id for cs in found.values()}) == 5


def test_grouping_by_title_ignores_categories(provider):
    _stored, events = imports.store(None, provider, CATEGORISED)
    plan = imports.build_plan(provider, events, group_by=imports.BY_TITLE)

    assert [g.by for g in plan.choices] == [imports.BY_TITLE] * 5
    assert plan.has_categories


def test_a_category_group_is_suggested_the_one_course_in_that_category(
    provider, make_course
):
    jura = Category(key="jura", title="Jura")
    db.session.add(jura)
    db.session.flush()
    course = make_course(provider, title="Forvaltningsret", category=jura)
    make_course(provider, title="Noget helt andet")

    _stored, events = imports.store(None, provider, CATEGORISED)
    plan = imports.build_plan(provider, events)

    by_label = {g.label: g for g in plan.choices}
    assert by_label["Jura"].course == course
    assert by_label["Samtale"].choice == imports.NEW


def test_an_all_day_event_that_gets_times_is_a_change_and_back_again(provider):
    def file(start: str, end: str) -> bytes:
        return calendar(event("dag@x", start, end, "Temadag"))

    run(provider, file(f";VALUE=DATE:{dec(3)}", f";VALUE=DATE:{dec(4)}"))
    assert (
        run(provider, file(f";VALUE=DATE:{dec(3)}", f";VALUE=DATE:{dec(4)}")).counts[
            "same"
        ]
        == 1
    )

    plan = run(provider, file(cph(f"{dec(3)}T000000"), cph(f"{dec(4)}T000000")))

    # The same instants, but now clock times: the calendar must show them so.
    assert plan.counts["change"] == 1
    meeting = imported(provider)["dag@x"].meetings[0]
    assert not meeting.all_day
    assert meeting.sequence == 1
