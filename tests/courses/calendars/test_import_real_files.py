"""Files as real calendar programs write them (issue 16): each class of file that
was imported wrongly or refused, written small, through the import service."""

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from core import clock
from core.db import db
from courses.calendars import imports
from courses.catalogue.models import Course, CourseStatus
from courses.sessions.models import CourseSession
from tests.courses.calendars.conftest import events_of
from tests.courses.calendars.icsfiles import NOVEMBER, calendar, cph, event, nov
from tests.dates import danish, ics

CPH = imports.COPENHAGEN


def run(provider, data: bytes):
    stored, _events = imports.store(None, provider, data)
    plan = imports.apply(None, stored)
    db.session.commit()
    return plan


def meetings_of(provider, uid: str):
    found = db.session.scalar(
        sa.select(CourseSession)
        .join(CourseSession.course)
        .where(Course.provider_id == provider.id, CourseSession.provider_uid == uid)
    )
    return sorted(found.meetings, key=lambda m: m.starts_at)


def local(meetings) -> list[datetime]:
    return [m.starts_at.astimezone(CPH) for m in meetings]


def days(meetings) -> list[date]:
    return [m.first_day for m in meetings]


@pytest.fixture
def provider(make_provider):
    return make_provider(name="VIA")


# --- the all-day flag belongs to each meeting --------------------------------------


def test_a_timed_override_of_an_all_day_series_is_a_timed_meeting(provider, client):
    series = event(
        "allday@x",
        f";VALUE=DATE:{nov(5)}",
        f";VALUE=DATE:{nov(6)}",
        rrule=":FREQ=WEEKLY;COUNT=3",
    )
    override = event(
        "allday@x",
        cph(f"{nov(12)}T100000"),
        cph(f"{nov(12)}T120000"),
        recurrence_id=f";VALUE=DATE:{nov(12)}",
    )
    run(provider, calendar(series, override))

    meetings = meetings_of(provider, "allday@x")
    assert [m.all_day for m in meetings] == [True, False, True]
    assert local(meetings)[1].time() == time(10)
    # The imported course is a draft; once published its meetings are in the feed.
    db.session.execute(sa.update(Course).values(status=CourseStatus.published))
    db.session.commit()
    response = client.get(f"/kalender/udbyder/{provider.id}.ics")
    assert response.status_code == 200
    assert len(events_of(response.data)) == 3


def test_a_date_with_a_tzid_is_a_day_not_midnight_in_that_zone(provider):
    # Old Google exports: "DTSTART;TZID=US/Pacific:20120101" without VALUE=DATE.
    series = event(
        "google@x",
        f";TZID=US/Pacific:{nov(5)}",
        f";TZID=US/Pacific:{nov(6)}",
        rrule=":FREQ=WEEKLY;COUNT=2",
    )
    override = event(
        "google@x",
        f";TZID=US/Pacific:{nov(13)}",
        f";TZID=US/Pacific:{nov(14)}",
        recurrence_id=f";TZID=US/Pacific:{nov(12)}",
    )
    run(provider, calendar(series, override))

    meetings = meetings_of(provider, "google@x")
    assert [m.all_day for m in meetings] == [True, True]
    assert days(meetings) == [NOVEMBER[5], NOVEMBER[13]]
    assert [t.time() for t in local(meetings)] == [time(0), time(0)]


# --- wrong results -----------------------------------------------------------------


def test_an_rdate_period_sets_its_own_end(provider):
    single = event(
        "period@x",
        cph(f"{nov(5)}T090000"),
        cph(f"{nov(5)}T120000"),
        rdate=f";VALUE=PERIOD:{nov(12)}T080000Z/{nov(12)}T150000Z,"
        f"{nov(19)}T080000Z/PT1H",
    )
    run(provider, calendar(single))

    meetings = meetings_of(provider, "period@x")
    lengths = [m.ends_at - m.starts_at for m in meetings]
    assert lengths == [timedelta(hours=3), timedelta(hours=7), timedelta(hours=1)]


def test_a_recurrence_id_with_a_tzid_is_matched_in_its_own_zone(provider):
    # Apple iCal: an all-day series, its moved instance named in Hong Kong time
    # (the day before, in Copenhagen).
    series = event(
        "apple@x",
        f";VALUE=DATE:{nov(5)}",
        f";VALUE=DATE:{nov(6)}",
        rrule=":FREQ=WEEKLY;COUNT=3",
    )
    moved = event(
        "apple@x",
        f";VALUE=DATE:{nov(13)}",
        f";VALUE=DATE:{nov(14)}",
        recurrence_id=f";TZID=Asia/Hong_Kong:{nov(12)}T000000",
    )
    run(provider, calendar(series, moved))

    meetings = meetings_of(provider, "apple@x")
    assert days(meetings) == [NOVEMBER[5], NOVEMBER[13], NOVEMBER[19]]


def test_an_override_with_its_own_rrule_takes_over_the_rest_of_the_series(provider):
    series = event(
        "split@x",
        cph(f"{nov(5)}T130000"),
        cph(f"{nov(5)}T160000"),
        rrule=":FREQ=WEEKLY;COUNT=6",
    )
    following = event(
        "split@x",
        cph(f"{nov(19)}T150000"),
        cph(f"{nov(19)}T170000"),
        recurrence_id=cph(f"{nov(19)}T130000"),
        rrule=":FREQ=WEEKLY;COUNT=3",
    )
    run(provider, calendar(series, following))

    starts = local(meetings_of(provider, "split@x"))
    assert [s.hour for s in starts] == [13, 13, 15, 15, 15]
    assert starts[-1].date() == NOVEMBER[5] + timedelta(weeks=4)


def test_range_thisandfuture_moves_every_later_instance(provider):
    series = event(
        "range@x",
        cph(f"{nov(5)}T130000"),
        cph(f"{nov(5)}T160000"),
        rrule=":FREQ=WEEKLY;COUNT=4",
    )
    later = event(
        "range@x",
        cph(f"{nov(12)}T140000"),
        cph(f"{nov(12)}T170000"),
        recurrence_id=f";RANGE=THISANDFUTURE{cph(f'{nov(12)}T130000')}",
    )
    run(provider, calendar(series, later))

    meetings = meetings_of(provider, "range@x")
    assert [s.hour for s in local(meetings)] == [13, 14, 14, 14]
    assert {m.ends_at - m.starts_at for m in meetings} == {timedelta(hours=3)}


def test_the_files_own_definition_of_a_windows_zone_name_is_used(provider):
    # Outlook's name; the file defines it as UTC+5 all year, which the name
    # mapping (Pacific/Auckland) disagrees with. The file's definition wins.
    zone = "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            "TZID:New Zealand Standard Time",
            "BEGIN:STANDARD",
            "DTSTART:16010101T000000",
            "TZOFFSETFROM:+0500",
            "TZOFFSETTO:+0500",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    )
    single = event(
        "outlook@x",
        f";TZID=New Zealand Standard Time:{nov(10)}T150000",
        f";TZID=New Zealand Standard Time:{nov(10)}T170000",
    )
    run(provider, calendar(zone, single, zones=()))

    (meeting,) = meetings_of(provider, "outlook@x")
    assert meeting.starts_at == datetime.combine(NOVEMBER[10], time(10), UTC)


# --- files that were refused -------------------------------------------------------


def test_instants_are_left_out_and_named_in_the_preview(
    client, login_as, make_provider
):
    user = login_as("provider_staff")
    provider = make_provider(user, name="VIA UC")
    data = calendar(
        event("good@x", cph(f"{nov(10)}T090000"), cph(f"{nov(10)}T120000"), "Godt"),
        event("same@x", cph(f"{nov(11)}T090000"), cph(f"{nov(11)}T090000"), "Samme"),
        event("none@x", cph(f"{nov(12)}T090000"), "", "Intet"),
        event("day@x", f";VALUE=DATE:{nov(13)}", "", "Dag"),
        event("zero@x", f";VALUE=DATE:{nov(14)}", f";VALUE=DATE:{nov(14)}", "Nul"),
    )

    page = client.post(
        f"/udbyder/{provider.id}/kalender",
        data={"file": (io.BytesIO(data), "google.ics")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)

    assert page.count("Den har intet sluttidspunkt (DTEND)") == 2
    (stored,) = db.session.scalars(sa.select(imports.CalendarImport)).all()
    imports.apply(None, stored)
    db.session.commit()
    assert [m.first_day for m in meetings_of(provider, "day@x")] == [NOVEMBER[13]]
    (zero,) = meetings_of(provider, "zero@x")  # a day, as RFC 5545 3.6.1 reads it
    assert zero.ends_at - zero.starts_at == timedelta(days=1)
    assert len(meetings_of(provider, "good@x")) == 1


def test_a_floating_end_beside_a_zoned_start_is_read_in_the_starts_zone(provider):
    # Mozilla: DTSTART;TZID=America/New_York, DTEND floating.
    single = event(
        "mozilla@x",
        f";TZID=America/New_York:{nov(10)}T090000",
        f":{nov(10)}T110000",
    )
    run(provider, calendar(single))

    (meeting,) = meetings_of(provider, "mozilla@x")
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)


def test_a_stream_of_calendars_is_read_as_one(provider):
    first = calendar(event("a@x", cph(f"{nov(10)}T090000"), cph(f"{nov(10)}T120000")))
    second = calendar(event("b@x", cph(f"{nov(11)}T090000"), cph(f"{nov(11)}T120000")))

    run(provider, first + second)

    assert len(meetings_of(provider, "a@x")) == len(meetings_of(provider, "b@x")) == 1


def test_a_stream_with_a_calendar_left_open_is_still_refused(provider):
    broken = calendar(event("a@x", cph(f"{nov(10)}T090000"), cph(f"{nov(10)}T1200")))
    with pytest.raises(imports.CalendarImportError) as caught:
        imports.parse(broken + b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")
    assert caught.value.code == "bad_structure"


# --- series that live on -----------------------------------------------------------


def weekly_since(years: int, uid: str = "old@x", **props) -> bytes:
    """An open-ended weekly series that began `years` ago on a Thursday."""
    began = clock.today() - timedelta(days=365 * years)
    began -= timedelta(days=(began.weekday() - 3) % 7)
    return calendar(
        event(
            uid,
            cph(f"{ics(began)}T090000"),
            cph(f"{ics(began)}T120000"),
            "Netværksmøde",
            rrule=":FREQ=WEEKLY",
            **props,
        )
    )


def test_an_old_open_series_is_read_from_today_to_the_horizon(app, provider):
    app.config["CALENDAR_IMPORT_HORIZON_DAYS"] = 70

    run(provider, weekly_since(15))

    meetings = meetings_of(provider, "old@x")
    first, last = meetings[0].first_day, meetings[-1].first_day
    assert clock.today() <= first < clock.today() + timedelta(days=7)
    assert len(meetings) == 10
    assert last <= clock.today() + timedelta(days=70)


def test_the_preview_says_where_the_horizon_cut_an_open_series(
    app, client, login_as, make_provider
):
    app.config["CALENDAR_IMPORT_HORIZON_DAYS"] = 70
    user = login_as("provider_staff")
    provider = make_provider(user, name="VIA UC")
    data = weekly_since(15)

    page = client.post(
        f"/udbyder/{provider.id}/kalender",
        data={"file": (io.BytesIO(data), "serie.ics")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)

    (stored,) = db.session.scalars(sa.select(imports.CalendarImport)).all()
    imports.apply(None, stored)
    db.session.commit()
    last = days(meetings_of(provider, "old@x"))[-1]
    assert f"Serien fortsætter efter {danish(last)}" in page


def test_a_series_that_ends_inside_the_horizon_is_not_called_cut(
    app, client, login_as, make_provider
):
    app.config["CALENDAR_IMPORT_HORIZON_DAYS"] = 70
    user = login_as("provider_staff")
    provider = make_provider(user, name="VIA UC")
    until = ics(clock.today() + timedelta(days=35))
    data = weekly_since(15).replace(
        b"FREQ=WEEKLY", f"FREQ=WEEKLY;UNTIL={until}T235959Z".encode()
    )

    page = client.post(
        f"/udbyder/{provider.id}/kalender",
        data={"file": (io.BytesIO(data), "serie.ics")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)

    assert "Netværksmøde" in page
    assert "Serien fortsætter" not in page


def test_the_cap_counts_after_exdate_and_the_preview_says_where_it_cut(
    app, client, login_as, make_provider
):
    app.config["CALENDAR_IMPORT_MAX_MEETINGS"] = 5
    user = login_as("provider_staff")
    provider = make_provider(user, name="VIA UC")
    thursday = NOVEMBER[5]
    skipped = [thursday + timedelta(weeks=1), thursday + timedelta(weeks=3)]
    data = calendar(
        event(
            "capped@x",
            cph(f"{ics(thursday)}T090000"),
            cph(f"{ics(thursday)}T120000"),
            "Netværksmøde",
            rrule=":FREQ=WEEKLY;COUNT=20",
            exdate=cph(",".join(f"{ics(d)}T090000" for d in skipped)),
        )
    )

    page = client.post(
        f"/udbyder/{provider.id}/kalender",
        data={"file": (io.BytesIO(data), "serie.ics")},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)

    fifth = thursday + timedelta(weeks=6)  # weeks 0, 2, 4, 5, 6
    assert f"Serien fortsætter efter {danish(fifth)}" in page
    (stored,) = db.session.scalars(sa.select(imports.CalendarImport)).all()
    imports.apply(None, stored)
    db.session.commit()
    assert days(meetings_of(provider, "capped@x"))[-1] == fifth
    assert len(meetings_of(provider, "capped@x")) == 5


def test_reimporting_later_extends_the_series_and_keeps_the_past(app, provider, travel):
    app.config["CALENDAR_IMPORT_HORIZON_DAYS"] = 28
    travel(datetime.combine(clock.today(), time(12)))
    data = weekly_since(2)
    run(provider, data)
    before = {m.id: (m.starts_at, m.cancelled) for m in meetings_of(provider, "old@x")}

    travel(datetime.combine(clock.today() + timedelta(weeks=8), time(12)))
    plan = run(provider, data)

    meetings = meetings_of(provider, "old@x")
    assert plan.counts["change"] == 1
    assert {m.id: (m.starts_at, m.cancelled) for m in meetings if m.id in before} == (
        before
    )
    assert meetings[-1].first_day > clock.today() + timedelta(days=20)
    assert not any(m.cancelled for m in meetings)
