"""Export: what build_calendar writes, byte for byte, and what it refuses."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from courses.calendars.ical import EventSpec, build_calendar
from courses.calendars.ical_lines import clean_text
from courses.calendars.ical_parse import parse_calendar

CPH = ZoneInfo("Europe/Copenhagen")
STAMP = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)


def spec(number: int = 1, **overrides) -> EventSpec:
    start = datetime(2026, 10, 20, 9, tzinfo=CPH) + timedelta(days=number)
    fields = {
        "uid": f"meeting-{number}-user-7@kursus.example",
        "sequence": 0,
        "start": start,
        "end": start + timedelta(hours=3),
        "summary": f"Excel for øvede, del {number}",
        "last_modified": STAMP,
        "location": "Jobcenter Aarhus, lokale 3",
    }
    return EventSpec(**(fields | overrides))


def lines_of(data: bytes) -> list[str]:
    """Unfolded content lines."""
    return data.decode().replace("\r\n ", "").split("\r\n")


def vevents(data: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def test_the_calendar_carries_the_required_and_the_feed_properties():
    data = build_calendar(
        [spec()],
        name="Mine kurser",
        description="Alt jeg er tilmeldt",
        refresh=timedelta(minutes=30),
        url="https://kursus.example/kalender",
        color="royalblue",
    )
    lines = lines_of(data)
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kompetence//Kursusplatform//DA",
        "CALSCALE:GREGORIAN",
    ]
    for line in (
        "NAME:Mine kurser",
        "X-WR-CALNAME:Mine kurser",
        "DESCRIPTION:Alt jeg er tilmeldt",
        "X-WR-CALDESC:Alt jeg er tilmeldt",
        "REFRESH-INTERVAL;VALUE=DURATION:PT30M",
        "X-PUBLISHED-TTL:PT30M",
        "URL;VALUE=URI:https://kursus.example/kalender",
        "COLOR:royalblue",
    ):
        assert line in lines
    assert not any(line.startswith("METHOD") for line in lines)
    assert lines[-2:] == ["END:VCALENDAR", ""]


def test_times_are_copenhagen_wall_clock_with_a_matching_vtimezone():
    utc_start = datetime(2026, 7, 1, 7, tzinfo=UTC)  # 09:00 summer time
    data = build_calendar(
        [spec(start=utc_start, end=utc_start + timedelta(hours=1))], name="K"
    )
    lines = lines_of(data)
    assert "DTSTART;TZID=Europe/Copenhagen:20260701T090000" in lines
    assert "DTEND;TZID=Europe/Copenhagen:20260701T100000" in lines
    calendar = icalendar.Calendar.from_ical(data)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Copenhagen"]
    assert calendar.get_missing_tzids() == set()
    assert vevents(data)[0].start == utc_start


def test_the_vtimezone_covers_every_year_the_events_touch():
    late = datetime(2028, 12, 31, 23, tzinfo=CPH)
    data = build_calendar(
        [spec(), spec(2, start=late, end=late + timedelta(hours=2))], name="K"
    )
    assert b"from 2026-01-01 to 2030-01-01" in data
    assert b"20281029T030000" in data  # the last change back to standard time


def test_the_repeated_october_hour_is_written_in_utc():
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the second 02:30 (CET)
    data = build_calendar(
        [spec(start=second, end=second + timedelta(hours=1))], name="K"
    )
    assert "DTSTART:20261025T013000Z" in lines_of(data)
    assert vevents(data)[0].start == second


def test_the_same_input_gives_the_same_bytes_in_any_order():
    specs = [spec(n, description="Tag kaffe med\n" * n) for n in range(20)]
    first = build_calendar(specs, name="Feed")
    shuffled = specs[:]
    random.Random(4).shuffle(shuffled)
    assert build_calendar(shuffled, name="Feed") == first
    assert build_calendar(tuple(specs), name="Feed") == first
    assert b"DTSTAMP:20260901T083000Z" in first
    assert b"LAST-MODIFIED:20260901T083000Z" in first


def test_sequence_and_cancelled_status_are_kept():
    data = build_calendar([spec(sequence=4, status="CANCELLED")], name="K")
    (event,) = vevents(data)
    assert event["SEQUENCE"] == 4
    assert event["STATUS"] == "CANCELLED"
    assert event["TRANSP"] == "TRANSPARENT"  # no longer blocks the person's time
    (parsed,) = parse_calendar(data)
    assert (parsed.sequence, parsed.status) == (4, "CANCELLED")
    assert parsed.occurrences[0].status == "CANCELLED"


@pytest.mark.parametrize(
    ("method", "status"), [("REQUEST", "CONFIRMED"), ("CANCEL", "CANCELLED")]
)
def test_invitations_name_the_method_organizer_and_attendee(method, status):
    invitation = spec(
        status=status,
        organizer_email="kurser@jobcenter.example",
        organizer_name='Jobcenter "Øst"',
        attendee_email="ane@kommune.dk",
        attendee_name="Ane Ærø",
    )
    data = build_calendar([invitation], name="Excel", method=method)
    assert f"METHOD:{method}" in lines_of(data)
    (event,) = vevents(data)
    assert event["ORGANIZER"] == "mailto:kurser@jobcenter.example"
    assert event["ORGANIZER"].params["CN"] == 'Jobcenter "Øst"'
    assert event["ATTENDEE"] == "mailto:ane@kommune.dk"
    assert event["ATTENDEE"].params["CN"] == "Ane Ærø"
    assert event["STATUS"] == status


@pytest.mark.parametrize(
    ("overrides", "method"),
    [
        ({}, "REQUEST"),  # no organizer or attendee
        ({"organizer_email": "a@b.dk", "attendee_email": "c@d.dk"}, "CANCEL"),
        ({}, "REPLY"),
    ],
)
def test_invitations_must_be_complete(overrides, method):
    with pytest.raises(ValueError, match="METHOD"):
        build_calendar([spec(**overrides)], name="K", method=method)


INJECTIONS = [
    "Kursus\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:Gratis",
    "Kursus\nATTENDEE:mailto:alle@kommune.dk",
    "Kursus\rX-EVIL:1",
    "Kursus;X-EVIL=1:2, 3\\; 4\\n 5\\N",
    "a\\\\b\\,c\\",
    "nul\x00bell\x07esc\x1bdel\x7fc1\x85",
    "emoji 🎓🧑‍🏫 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 30,
    '"quoted": value, with ^caret^ and "DQUOTE"',
    "\u2028line separator\u2029paragraph\ufeffbom",
    "x" * 10_000,
    "lone \ud800 surrogate \udfff",
]


def with_all_text(number: int, text: str) -> EventSpec:
    return spec(
        number,
        summary=text,
        location=text,
        description=text,
        categories=(text,),
        organizer_email="k@jobcenter.example",
        organizer_name=text,
        attendee_email="p@kommune.dk",
        attendee_name=text,
    )


@pytest.mark.parametrize("text", INJECTIONS)
def test_user_text_cannot_add_components_or_properties(text):
    data = build_calendar(
        [with_all_text(1, text), with_all_text(2, "Andet")],
        name=text,
        description=text,
        method="REQUEST",
    )
    plain = build_calendar(
        [with_all_text(1, "plain")], name="plain", description="plain", method="REQUEST"
    )
    calendar, reference = (icalendar.Calendar.from_ical(d) for d in (data, plain))
    assert set(calendar) == set(reference)
    event, other = calendar.walk("VEVENT")
    assert set(event) == set(reference.walk("VEVENT")[0])
    assert [str(event["UID"]), str(other["UID"])] == [spec(1).uid, spec(2).uid]
    expected = clean_text(text)
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        assert str(event[name]) == expected
    assert str(calendar["DESCRIPTION"]) == expected
    # icalendar 7 reads NAME and X-WR-* raw; they carry the same escaped TEXT.
    header = lines_of(data)[: lines_of(data).index("BEGIN:VTIMEZONE")]
    values = {n: v for n, _, v in (line.partition(":") for line in header)}
    assert values["NAME"] == values["X-WR-CALNAME"] == values["DESCRIPTION"]
    if (
        "\\" not in text
    ):  # icalendar unescapes backslashes in parameters; RFC 5545 does not
        assert event["ORGANIZER"].params["CN"] == expected
        assert event["ATTENDEE"].params["CN"] == expected
    parsed = parse_calendar(data)
    assert [p.summary for p in parsed] == [expected, "Andet"]
    assert parsed[0].location == parsed[0].description == expected
    assert parsed[0].categories == (expected.strip(),)


def test_long_utf8_text_is_folded_at_75_octets_between_characters():
    text = "Æblegrød på Østerbro 🎓 " * 200
    data = build_calendar([spec(description=text, summary="ø" * 100)], name="K")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # no line ends or starts inside a UTF-8 sequence
    assert parse_calendar(data)[0].description == text


def test_a_fold_never_splits_a_backslash_escape():
    for width in range(60, 80):
        data = build_calendar([spec(summary="x" * width + "\\;,\n" * 30)], name="K")
        for line in data.split(b"\r\n"):
            stripped = line.rstrip(b"\\")
            assert (len(line) - len(stripped)) % 2 == 0, line


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": datetime(2026, 1, 1, 9)}, "timezone-aware"),
        ({"end": datetime(2026, 10, 20, 8, tzinfo=CPH)}, "before start"),
        ({"status": "MAYBE"}, "STATUS"),
        ({"sequence": -1}, "SEQUENCE"),
        ({"uid": ""}, "UID"),
        ({"uid": "a\r\nb"}, "UID"),
        ({"uid": " padded "}, "UID"),
        ({"url": "javascript:alert(1)"}, "URL"),
        ({"url": "https://x.example/\r\nX-EVIL:1"}, "URL"),
        ({"organizer_email": "a@b.dk\r\nATTENDEE:mailto:c@d.dk"}, "e-mail"),
        ({"organizer_email": "a@b.dk:x"}, "e-mail"),
        ({"attendee_email": "Ane <ane@kommune.dk>"}, "e-mail"),
        ({"attendee_email": '"a;b"@kommune.dk'}, "e-mail"),
        ({"attendee_email": "ane@kommune"}, "e-mail"),
        ({"last_modified": datetime(1800, 1, 1, tzinfo=UTC)}, "outside"),
        ({"all_day": True}, "midnight to midnight"),
        (
            {
                "all_day": True,
                "start": datetime(2026, 12, 3, tzinfo=CPH),
                "end": datetime(2026, 12, 3, tzinfo=CPH),
            },
            "midnight to midnight",
        ),
    ],
)
def test_unusable_specs_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        build_calendar([spec(**overrides)], name="K")


def test_duplicate_uids_are_refused():
    with pytest.raises(ValueError, match="UID"):
        build_calendar([spec(1), replace(spec(2), uid=spec(1).uid)], name="K")


def test_an_empty_feed_is_still_a_calendar():
    data = build_calendar([], name="Tom")
    assert icalendar.Calendar.from_ical(data)["NAME"] == "Tom"
    assert b"VTIMEZONE" not in data
    assert parse_calendar(data) == []


def test_all_day_events_are_written_as_dates_and_read_back_as_whole_days():
    # 24 October to 26 October inclusive, across the change to winter time.
    data = build_calendar(
        [
            spec(
                all_day=True,
                start=datetime(2026, 10, 24, tzinfo=CPH),
                end=datetime(2026, 10, 27, tzinfo=CPH),
            )
        ],
        name="K",
    )

    assert "DTSTART;VALUE=DATE:20261024" in lines_of(data)
    assert "DTEND;VALUE=DATE:20261027" in lines_of(data)
    (theirs,) = vevents(data)
    assert theirs.decoded("DTEND") - theirs.decoded("DTSTART") == timedelta(days=3)
    (ours,) = parse_calendar(data)
    assert ours.all_day
    assert [(o.start.isoformat(), o.end.isoformat()) for o in ours.occurrences] == [
        ("2026-10-24", "2026-10-27")
    ]


@pytest.mark.parametrize("color", ["#336699", "blue\r\nX-EVIL:1", "Blue", "rgb(0,0,0)"])
def test_only_a_css_colour_name_is_a_colour(color):
    with pytest.raises(ValueError, match="COLOR"):
        build_calendar([spec()], name="K", color=color)
