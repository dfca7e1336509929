"""Import: what parse_calendar makes of real-world and broken files."""

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from courses.calendars.ical import EventSpec, build_calendar
from courses.calendars.ical_lines import ICalError
from courses.calendars.ical_parse import parse_calendar

CPH = ZoneInfo("Europe/Copenhagen")
CORPUS = Path(__file__).parent / "corpus"
TIMES = (
    "DTSTART;TZID=Europe/Copenhagen:20261020T090000",
    "DTEND;TZID=Europe/Copenhagen:20261020T120000",
)


def ics(*lines: str, uid: str = "k-1@udbyder.example", zones: str = "") -> bytes:
    """A calendar with one VEVENT holding `lines` (an empty line starts another)."""
    events, current = [], [f"UID:{uid}", "DTSTAMP:20260101T000000Z", "SUMMARY:Kursus"]
    for line in lines:
        if line == "":
            events.append(current)
            current = [f"UID:{uid}", "DTSTAMP:20260101T000000Z"]
        else:
            current.append(line)
    events.append(current)
    body = [x for e in events for x in ["BEGIN:VEVENT", *e, "END:VEVENT"]]
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Udbyder//DA", *zones.split()]
    return ("\r\n".join([*head, *body, "END:VCALENDAR", ""])).encode()


def one(data: bytes, **limits):
    (event,) = parse_calendar(data, **limits)
    return event


def local(moment: datetime) -> tuple[str, str]:
    assert moment.tzinfo is CPH
    return moment.strftime("%Y-%m-%d %H:%M"), moment.tzname()


def test_a_built_feed_reads_back_the_same_through_icalendar_and_our_parser():
    start = datetime(2026, 11, 3, 13, 15, tzinfo=UTC)
    specs = [
        EventSpec(
            uid=f"m-{n}@kursus.example",
            sequence=n,
            start=start + timedelta(days=n),
            end=start + timedelta(days=n, hours=2),
            summary=f"Kursus {n}, trin 2",
            last_modified=start,
            location="Vejle; sal B",
            description="Linje 1\nLinje 2",
            url=f"https://kursus.example/k/{n}",
            status=status,
            categories=("IT", "Øvet"),
        )
        for n, status in enumerate(["CONFIRMED", "TENTATIVE", "CANCELLED"])
    ]
    data = build_calendar(specs, name="Udbyder")
    theirs = icalendar.Calendar.from_ical(data).walk("VEVENT")
    ours = parse_calendar(data)
    for spec, event, parsed in zip(specs, theirs, ours, strict=True):
        assert str(event["UID"]) == parsed.uid == spec.uid
        assert str(event["SUMMARY"]) == parsed.summary == spec.summary
        assert str(event["LOCATION"]) == parsed.location == spec.location
        assert str(event["DESCRIPTION"]) == parsed.description == spec.description
        assert str(event["URL"]) == parsed.url == spec.url
        assert str(event["STATUS"]) == parsed.status == spec.status
        assert event["SEQUENCE"] == parsed.sequence == spec.sequence
        assert tuple(map(str, event["CATEGORIES"].cats)) == parsed.categories
        assert event.start == parsed.occurrences[0].start == spec.start
        assert event.end == parsed.occurrences[0].end == spec.end
        assert (parsed.all_day, parsed.floating, parsed.capacity) == (
            False,
            False,
            None,
        )
        assert parsed.occurrences[0].recurrence_id == ""


def test_a_weekly_series_keeps_nine_oclock_across_the_october_dst_change():
    event = one(ics(*TIMES, "RRULE:FREQ=WEEKLY;COUNT=3"))
    assert [(local(o.start), local(o.end)[0][-5:]) for o in event.occurrences] == [
        (("2026-10-20 09:00", "CEST"), "12:00"),
        (("2026-10-27 09:00", "CET"), "12:00"),
        (("2026-11-03 09:00", "CET"), "12:00"),
    ]
    assert [o.recurrence_id for o in event.occurrences] == [
        "2026-10-20T07:00:00Z",
        "2026-10-27T08:00:00Z",
        "2026-11-03T08:00:00Z",
    ]


def test_a_series_anchored_in_utc_keeps_utc_time_as_rfc_5545_says():
    event = one(ics("DTSTART:20261020T070000Z", "RRULE:FREQ=WEEKLY;COUNT=2"))
    assert [local(o.start)[0] for o in event.occurrences] == [
        "2026-10-20 09:00",
        "2026-10-27 08:00",
    ]


def test_floating_times_are_read_as_copenhagen_and_flagged():
    event = one(
        ics(
            "DTSTART:20261020T090000",
            "DTEND:20261020T100000",
            "RRULE:FREQ=WEEKLY;UNTIL=20261027T235959",
        )
    )
    assert event.floating
    assert [local(o.start)[0] for o in event.occurrences] == [
        "2026-10-20 09:00",
        "2026-10-27 09:00",
    ]


def test_exdate_removes_and_overrides_move_or_cancel_single_meetings():
    data = ics(
        *TIMES,
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "LOCATION:Lokale 1",
        "SEQUENCE:1",
        "EXDATE;TZID=Europe/Copenhagen:20261103T090000",
        "",
        "RECURRENCE-ID;TZID=Europe/Copenhagen:20261027T090000",
        "DTSTART;TZID=Europe/Copenhagen:20261028T130000",
        "DTEND;TZID=Europe/Copenhagen:20261028T150000",
        "LOCATION:Lokale 2",
        "SEQUENCE:2",
        "",
        "RECURRENCE-ID:20261110T080000Z",
        "DTSTART:20261110T080000Z",
        "DTEND:20261110T110000Z",
        "STATUS:CANCELLED",
    )
    event = one(data)
    assert event.sequence == 2  # rises with any change in the series
    assert [
        (local(o.start)[0], o.status, o.location, o.recurrence_id)
        for o in event.occurrences
    ] == [
        ("2026-10-20 09:00", "CONFIRMED", "Lokale 1", "2026-10-20T07:00:00Z"),
        ("2026-10-28 13:00", "CONFIRMED", "Lokale 2", "2026-10-27T08:00:00Z"),
        ("2026-11-10 09:00", "CANCELLED", "Lokale 1", "2026-11-10T08:00:00Z"),
    ]


def test_rdate_adds_meetings_and_a_period_brings_its_own_length():
    event = one(
        ics(
            *TIMES,
            "RDATE;TZID=Europe/Copenhagen:20261022T100000",
            "RDATE;VALUE=PERIOD:20261024T080000Z/PT1H",
        )
    )
    assert [local(o.start)[0] for o in event.occurrences] == [
        "2026-10-20 09:00",
        "2026-10-22 10:00",
        "2026-10-24 10:00",
    ]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("DTSTART;TZID=America/New_York:20261020T090000", "2026-10-20 15:00"),
        ("DTSTART:20261020T090000Z", "2026-10-20 11:00"),
        ("DTSTART;TZID=W. Europe Standard Time:20261020T090000", "2026-10-20 09:00"),
        ("DTSTART;TZID=Asia/Tokyo:20261020T090000", "2026-10-20 02:00"),
    ],
)
def test_other_time_zones_are_converted_to_copenhagen(start, expected):
    event = one(ics(start))
    assert local(event.occurrences[0].start)[0] == expected
    assert not event.floating


def custom_zone(offset: str) -> str:
    return (
        f"BEGIN:VTIMEZONE TZID:Kontor BEGIN:STANDARD DTSTART:19700101T000000 "
        f"TZOFFSETFROM:{offset} TZOFFSETTO:{offset} END:STANDARD END:VTIMEZONE"
    )


def test_each_file_reads_its_own_vtimezone_even_under_a_reused_name():
    # icalendar caches VTIMEZONEs process-wide by TZID; the second upload must
    # not be read with the first upload's offsets.
    line = "DTSTART;TZID=Kontor:20261020T120000"
    first = one(ics(line, zones=custom_zone("+0300")))
    second = one(ics(line, zones=custom_zone("-0500")))
    assert local(first.occurrences[0].start)[0] == "2026-10-20 11:00"
    assert local(second.occurrences[0].start)[0] == "2026-10-20 19:00"


def test_a_file_vtimezone_with_yearly_rules_follows_its_own_dst():
    zone = (
        "BEGIN:VTIMEZONE TZID:Vest BEGIN:STANDARD DTSTART:16011028T030000 "
        "TZOFFSETFROM:+0200 TZOFFSETTO:+0100 RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10 "
        "END:STANDARD BEGIN:DAYLIGHT DTSTART:16010325T020000 TZOFFSETFROM:+0100 "
        "TZOFFSETTO:+0200 RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3 END:DAYLIGHT "
        "END:VTIMEZONE"
    )
    series = ("DTSTART;TZID=Vest:20261020T090000", "RRULE:FREQ=WEEKLY;COUNT=3")
    event = one(ics(*series, "EXDATE;TZID=Vest:20261103T090000", zones=zone))
    assert [local(o.start)[0] for o in event.occurrences] == [
        "2026-10-20 09:00",
        "2026-10-27 09:00",
    ]
    assert not event.floating


def test_a_vtimezone_may_name_its_onsets_by_rdate_and_leave_one_empty():
    zone = (
        "BEGIN:VTIMEZONE TZID:Skift BEGIN:STANDARD DTSTART:20261025T030000 "
        "RDATE: RDATE:20271031T030000,20281029T030000 "
        "TZOFFSETFROM:+0200 TZOFFSETTO:+0100 END:STANDARD "
        "BEGIN:DAYLIGHT DTSTART:20270328T020000 RDATE:20280326T020000 "
        "TZOFFSETFROM:+0100 TZOFFSETTO:+0200 END:DAYLIGHT END:VTIMEZONE"
    )
    winter = one(ics("DTSTART;TZID=Skift:20271110T090000", zones=zone))
    summer = one(ics("DTSTART;TZID=Skift:20280610T090000", zones=zone))
    assert local(winter.occurrences[0].start) == ("2027-11-10 09:00", "CET")
    assert local(summer.occurrences[0].start) == ("2028-06-10 09:00", "CEST")


def test_all_day_events_stay_dates_and_last_one_day_without_dtend():
    event = one(ics("DTSTART;VALUE=DATE:20261020", "RRULE:FREQ=DAILY;COUNT=2"))
    assert event.all_day
    assert [(o.start, o.end) for o in event.occurrences] == [
        (date(2026, 10, 20), date(2026, 10, 21)),
        (date(2026, 10, 21), date(2026, 10, 22)),
    ]
    assert event.occurrences[0].recurrence_id == "2026-10-20"


@pytest.mark.parametrize(
    ("lines", "length"),
    [
        (("DTSTART:20261020T090000Z",), timedelta(0)),  # RFC 5545: a moment
        (("DTSTART:20261020T090000Z", "DURATION:PT1H30M"), timedelta(minutes=90)),
        (("DTSTART;VALUE=DATE:20261020", "DURATION:P2D"), timedelta(days=2)),
    ],
)
def test_a_missing_dtend_comes_from_duration_or_the_rfc_default(lines, length):
    occurrence = one(ics(*lines)).occurrences[0]
    assert occurrence.end - occurrence.start == length


def test_the_horizon_and_the_occurrence_cap_bound_endless_series():
    daily = ics(*TIMES, "RRULE:FREQ=DAILY")
    assert len(one(daily, horizon=timedelta(days=9)).occurrences) == 10
    assert len(one(daily, max_occurrences=5).occurrences) == 5
    assert len(one(daily).occurrences) == 1000


def test_a_rule_that_never_matches_costs_little():
    # dateutil alone walks from today to year 9999 (about 4 s of CPU here); run
    # near the end it walks at most 400 years (about 0.2 s). CPU time of this
    # process, so a busy shared machine does not decide it (wall time under 2 s
    # failed at a load of 17 on two cores).
    started = time.process_time()
    event = one(ics(*TIMES, "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"))
    assert time.process_time() - started < 1.5
    assert len(event.occurrences) == 1  # DTSTART itself


@pytest.mark.parametrize(
    ("lines", "capacity"),
    [
        (("X-CAPACITY:12",), 12),
        (("X-MAX-PARTICIPANTS: 8 ",), 8),
        (("X-CAPACITY:-3",), None),
        (("X-CAPACITY:mange",), None),
        ((), None),
    ],
)
def test_capacity_is_a_non_negative_whole_number_or_none(lines, capacity):
    assert one(ics(*TIMES, *lines)).capacity == capacity


def test_text_fields_are_cleaned_and_only_web_links_survive():
    event = one(
        ics(
            *TIMES,
            "URL:javascript:alert(1)",
            "STATUS:CANCELED",
            "CATEGORIES:IT,Kontor",
            "CATEGORIES:IT,Ledelse",
        )
    )
    assert (event.url, event.status) == ("", "CANCELLED")
    assert event.categories == ("IT", "Kontor", "Ledelse")


def test_an_override_without_its_series_is_kept():
    event = one(ics("RECURRENCE-ID:20261020T070000Z", "DTSTART:20261020T080000Z"))
    assert [o.recurrence_id for o in event.occurrences] == ["2026-10-20T07:00:00Z"]


def test_errors_name_the_physical_line_and_the_uid():
    description = "DESCRIPTION:" + "lang tekst " * 30
    folded = "\r\n ".join(
        description[i : i + 70] for i in range(0, len(description), 70)
    )
    data = ics(folded, "DTSTART:20261020T090000Z", "DTEND:20261020T080000Z")
    with pytest.raises(ICalError) as caught:
        parse_calendar(data)
    error = caught.value
    assert (error.code, error.uid) == ("end_before_start", "k-1@udbyder.example")
    assert data.split(b"\r\n")[error.line - 1] == b"DTEND:20261020T080000Z"
    assert str(error).startswith("An event ends before it starts. (line 14, UID")
    assert one(ics(*TIMES)).line == 4


@pytest.mark.parametrize(
    ("data", "limits", "code"),
    [
        (ics(*TIMES), {"max_bytes": 100}, "too_large"),
        (
            ics(*TIMES, "", *TIMES, uid="x@y"),
            {"max_components": 1},
            "too_many_components",
        ),
        # a folded BEGIN line escapes the byte count but not the exact one
        (
            ics(*TIMES).replace(b"BEGIN:VEVENT", b"BEGIN:VEV\r\n ENT"),
            {"max_components": 0},
            "too_many_components",
        ),
    ],
)
def test_limits_are_checked_before_the_full_parse(data, limits, code):
    with pytest.raises(ICalError) as caught:
        parse_calendar(data, **limits)
    assert caught.value.code == code


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.ics")), ids=lambda p: p.stem)
def test_each_malformed_file_gives_its_error_code(path):
    with pytest.raises(ICalError) as caught:
        parse_calendar(path.read_bytes())
    assert caught.value.code == path.stem.split("--")[0]
    assert str(caught.value)


def test_quoted_parameters_may_hold_colons_semicolons_and_commas():
    event = one(
        ics(
            'DTSTART;TZID="Europe/Copenhagen":20261020T090000',
            'DTEND;X-NOTE="a:b;c,d";TZID=Europe/Copenhagen:20261020T120000',
            'LOCATION;ALTREP="https://kort.example/sal:1";LANGUAGE=da:Sal 1: Vejle',
        )
    )
    assert local(event.occurrences[0].start) == ("2026-10-20 09:00", "CEST")
    assert local(event.occurrences[0].end) == ("2026-10-20 12:00", "CEST")
    assert event.location == "Sal 1: Vejle"


def test_a_tzid_parameter_with_two_values_names_no_zone():
    with pytest.raises(ICalError) as caught:
        parse_calendar(ics("DTSTART;TZID=Europe/Copenhagen,UTC:20261020T090000"))
    assert caught.value.code == "unknown_tz"
    assert caught.value.line == 8  # the DTSTART line


def test_an_alarm_inside_an_event_lends_it_nothing():
    event = one(
        ics(
            *TIMES,
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:Husk kurset",
            "TRIGGER:-PT15M",
            "UID:alarm-1",
            "END:VALARM",
        )
    )
    assert (event.uid, event.description) == ("k-1@udbyder.example", "")


def test_text_escapes_are_undone_once_and_lists_split_on_bare_commas_only():
    event = one(
        ics(
            *TIMES,
            r"DESCRIPTION:Linje 1\nLinje 2\, med komma\; og semikolon\\n til sidst",
            r"CATEGORIES:Ledelse\, jura,IT\\,Kontor",
        )
    )
    assert event.description == "Linje 1\nLinje 2, med komma; og semikolon\\n til sidst"
    assert event.categories == ("Ledelse, jura", "IT\\", "Kontor")


def test_lower_case_names_and_values_read_like_upper_case():
    event = one(
        ics(
            "dtstart;tzid=Europe/Copenhagen:20261020T090000",
            "Duration:PT2H",
            "status:tentative",
        )
    )
    assert local(event.occurrences[0].end) == ("2026-10-20 11:00", "CEST")
    assert event.status == "TENTATIVE"


def test_properties_the_importer_does_not_use_are_not_read():
    """A provider's odd ATTACH or GEO must not stop the import of its sessions."""
    event = one(ics(*TIMES, "GEO:ikke;tal", "ATTACH;VALUE=BINARY:%%%", "PRIORITY:x"))
    assert event.summary == "Kursus"


OUTLOOK_STYLE = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "METHOD:PUBLISH",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        "X-WR-CALNAME:Kurser",
        "BEGIN:VTIMEZONE",
        "TZID:Romance Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16010101T030000",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        'ORGANIZER;CN="Kursus, Sekretariat":mailto:kursus@udbyder.example',
        'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Hansen: '
        'Jens":mailto:jens@jobcenter.example',
        "DESCRIPTION;LANGUAGE=da-DK:Dag 1 af 3\\n\\nMedbring egen computer\\, tak.",
        "UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5",
        "SUMMARY;LANGUAGE=da-DK:Den motiverende samtale",
        'DTSTART;TZID="Romance Standard Time":20270302T090000',
        'DTEND;TZID="Romance Standard Time":20270302T153000',
        "CLASS:PUBLIC",
        "PRIORITY:5",
        "DTSTAMP:20261120T101500Z",
        "TRANSP:OPAQUE",
        "STATUS:CONFIRMED",
        "SEQUENCE:2",
        "LOCATION;LANGUAGE=da-DK:Mødelokale 3\\, Vejle",
        "X-MICROSOFT-CDO-APPT-SEQUENCE:2",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
        "BEGIN:VALARM",
        "DESCRIPTION:REMINDER",
        "TRIGGER;RELATED=START:-PT15M",
        "ACTION:DISPLAY",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
).encode()


def test_an_outlook_style_export_reads_with_quoted_windows_zone_and_alarm():
    event = one(OUTLOOK_STYLE)
    assert event.summary == "Den motiverende samtale"
    assert event.description == "Dag 1 af 3\n\nMedbring egen computer, tak."
    assert event.location == "Mødelokale 3, Vejle"
    assert event.sequence == 2
    (meeting,) = event.occurrences
    assert local(meeting.start) == ("2027-03-02 09:00", "CET")
    assert local(meeting.end) == ("2027-03-02 15:30", "CET")


def test_a_google_style_series_with_an_utc_until_and_a_moved_instance():
    data = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "X-WR-TIMEZONE:Europe/Copenhagen",
            "BEGIN:VEVENT",
            "DTSTART;TZID=Europe/Copenhagen:20270301T130000",
            "DTEND;TZID=Europe/Copenhagen:20270301T160000",
            "RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20270405T115959Z;BYDAY=MO",
            "DTSTAMP:20261124T120000Z",
            "UID:abc123def456@google.com",
            "CREATED:20261101T080000Z",
            "LAST-MODIFIED:20261120T080000Z",
            "SEQUENCE:0",
            "STATUS:CONFIRMED",
            "SUMMARY:Netværksmøde for virksomhedskonsulenter",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "DTSTART;TZID=Europe/Copenhagen:20270316T100000",
            "DTEND;TZID=Europe/Copenhagen:20270316T130000",
            "DTSTAMP:20261124T120000Z",
            "UID:abc123def456@google.com",
            "RECURRENCE-ID;TZID=Europe/Copenhagen:20270315T130000",
            "SEQUENCE:1",
            "STATUS:CONFIRMED",
            "SUMMARY:Netværksmøde for virksomhedskonsulenter",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    ).encode()
    event = one(data)
    starts = [local(o.start)[0] for o in event.occurrences]
    # Mondays up to UNTIL: 5 April at 13:00 CEST is 11:00Z, just inside it.
    # The instance of 15 March moved to Tuesday morning.
    assert starts == [
        "2027-03-01 13:00",
        "2027-03-08 13:00",
        "2027-03-16 10:00",
        "2027-03-22 13:00",
        "2027-03-29 13:00",
        "2027-04-05 13:00",
    ]
    assert event.sequence == 1
