"""Properties: valid specs round-trip; no input raises anything but ICalError."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.calendars.ical import EventSpec, build_calendar
from courses.calendars.ical_lines import ERRORS, ICalError, clean_text
from courses.calendars.ical_parse import parse_calendar

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
ZONES = [ZoneInfo("Europe/Copenhagen"), ZoneInfo("America/New_York"), UTC]
# Whole seconds: iCalendar has no sub-second times.
moments = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(datetime(1995, 1, 1), datetime(2045, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.sampled_from(ZONES),
)
emails = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[\w.+'-]{1,20}", fullmatch=True),
    st.from_regex(r"[a-zæøå0-9-]{1,15}", fullmatch=True),
    st.sampled_from(["dk", "example", "gov.dk"]),
)


@st.composite
def specs(draw, number: int) -> EventSpec:
    start = draw(moments)
    has_people = draw(st.booleans())
    return EventSpec(
        uid=f"m-{number}-{draw(st.from_regex(r'[!-~]{0,20}', fullmatch=True))}",
        sequence=draw(st.integers(0, 10_000)),
        start=start,
        end=start + timedelta(seconds=draw(st.integers(0, 3 * 86400))),
        summary=draw(st.text()),
        last_modified=draw(moments),
        location=draw(st.text(max_size=50)),
        description=draw(st.text(max_size=300)),
        url=draw(st.sampled_from(["", "https://kursus.example/k/1?a=1;b=2,3"])),
        status=draw(st.sampled_from(["CONFIRMED", "TENTATIVE", "CANCELLED"])),
        categories=tuple(draw(st.lists(st.text(max_size=12), max_size=3))),
        organizer_email=draw(emails) if has_people else "",
        organizer_name=draw(st.text(max_size=30)),
        attendee_email=draw(emails) if has_people else "",
        attendee_name=draw(st.text(max_size=30)),
    )


spec_lists = st.integers(0, 6).flatmap(
    lambda n: st.tuples(*(specs(i) for i in range(n))).map(list)
)


@settings(FAST, max_examples=100)  # drawing the specs is what takes the time
@given(spec_lists, st.text(max_size=40))
def test_any_spec_list_round_trips(events, name):
    data = build_calendar(events, name=name)
    parsed = {p.uid: p for p in parse_calendar(data)}
    assert set(parsed) == {e.uid for e in events}
    for spec in events:
        event = parsed[spec.uid]
        assert event.summary == clean_text(spec.summary)
        assert event.location == clean_text(spec.location)
        assert event.description == clean_text(spec.description)
        assert (event.url, event.status, event.sequence) == (
            spec.url,
            spec.status,
            spec.sequence,
        )
        expected = (clean_text(c).strip() for c in spec.categories)
        assert event.categories == tuple(dict.fromkeys(c for c in expected if c))
        (occurrence,) = event.occurrences
        # Timestamps: Python never calls a repeated-hour time equal across zones.
        assert occurrence.start.timestamp() == spec.start.timestamp()
        assert occurrence.end.timestamp() == spec.end.timestamp()
        assert occurrence.status == spec.status
    for line in data.split(b"\r\n"):
        assert len(line) <= 75


def parses_or_refuses(data: bytes) -> None:
    try:
        result = parse_calendar(data, max_occurrences=50)
    except ICalError as exc:
        error = exc
    else:
        assert isinstance(result, list)
        return
    assert error.code in ERRORS
    assert str(error).startswith(ERRORS[error.code])


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_ical_error(data):
    parses_or_refuses(data)


SEED = build_calendar(
    [
        EventSpec(
            uid=f"u{n}@x",
            sequence=n,
            start=datetime(2026, 10, 20 + n, 9, tzinfo=UTC),
            end=datetime(2026, 10, 20 + n, 11, tzinfo=UTC),
            summary="Kursus, del 2",
            last_modified=datetime(2026, 1, 1, tzinfo=UTC),
            location="Sal; B",
            description="Æ" * 80,
            categories=("IT",),
        )
        for n in range(3)
    ],
    name="Frø",
).replace(b"STATUS:CONFIRMED", b"RRULE:FREQ=WEEKLY;COUNT=3\r\nSTATUS:CONFIRMED")
SNIPPETS = [
    b"\r\n",
    b"\r\n ",
    b":",
    b";",
    b",",
    b"\\",
    b'"',
    b"=",
    b"\x00",
    b"\xff",
    b"BEGIN:VEVENT\r\n",
    b"END:VEVENT\r\n",
    b"BEGIN:VTIMEZONE\r\n",
    b"TZID=Nowhere:",
    b"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n",
    b"RECURRENCE-ID:20261027T090000Z\r\n",
    b"EXDATE:20261027T090000Z\r\n",
    b"DTSTART;VALUE=DATE:20261020\r\n",
    b"DURATION:-P1D\r\n",
    b"99999999",
    b"UNTIL=00010101T000000Z;",
    b"DURATION:P99999999D\r\n",
]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "flip", "duplicate"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(SNIPPETS) | st.binary(max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            end = data.find(b"\r\n", at)
            data[at:at] = data[at : end + 2 if end >= 0 else at]
    return bytes(data)


@FAST
@given(mutated())
def test_mutated_calendars_never_raise_anything_but_ical_error(data):
    parses_or_refuses(data)


def agrees_with_icalendar(data: bytes) -> None:
    """Where our reader accepts a file, icalendar's own reading agrees with it."""
    try:
        ours = {event.uid: event for event in parse_calendar(data, max_occurrences=50)}
    except ICalError:
        return
    try:
        theirs = icalendar.Calendar.from_ical(data)
    except Exception:  # icalendar refuses more at calendar level; not our question
        return
    masters = [
        c
        for c in theirs.walk("VEVENT")
        if "RECURRENCE-ID" not in c and str(c.get("UID", "")).strip() in ours
    ]
    assert masters or not any("RECURRENCE-ID" not in c for c in theirs.walk("VEVENT"))
    for master in masters:
        event = ours[clean_text(str(master["UID"])).strip()]
        for name, value in [
            ("SUMMARY", event.summary),
            ("LOCATION", event.location),
            ("DESCRIPTION", event.description),
        ]:
            found = master.get(name, "")
            found = found[0] if isinstance(found, list) else found
            assert clean_text(str(found)) == value, name
        start = master.decoded("DTSTART")
        simple = not any(k in master for k in ("RRULE", "RDATE", "EXDATE"))
        if simple and isinstance(start, datetime) and start.tzinfo is not None:
            assert event.occurrences[0].start.timestamp() == start.timestamp()


@FAST
@given(mutated())
def test_mutated_calendars_read_the_same_as_icalendar_reads_them(data):
    agrees_with_icalendar(data)


@settings(FAST, max_examples=60)
@given(spec_lists)
def test_generated_calendars_read_the_same_as_icalendar_reads_them(events):
    agrees_with_icalendar(build_calendar(events, name="Kurser"))


TEXT = st.text(alphabet=st.sampled_from(list('abcæøå ,;:\\"nN!-_')), max_size=30)
PARAMETERS = st.lists(
    st.tuples(
        st.sampled_from(["LANGUAGE", "ALTREP", "X-NOTE"]),
        st.from_regex(r"[A-Za-z0-9 ._-]{0,10}", fullmatch=True)
        | st.from_regex(r'"[^"\x00-\x1f\x7f]{0,12}"', fullmatch=True),
    ),
    max_size=3,
).map(lambda found: "".join(f";{name}={value}" for name, value in found))
ZONES_WRITTEN = [
    ";TZID=Europe/Copenhagen",
    ';TZID="Europe/Copenhagen"',
    ";tzid=Europe/Copenhagen",
    "",
]


@st.composite
def hand_written_calendars(draw) -> bytes:
    """Files as other programs write them: any case, quoted parameters, escapes,
    and folds at any character."""
    case = st.sampled_from([str.upper, str.lower, str.title])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Udbyder//DA"]
    for n in range(draw(st.integers(1, 3))):
        zone = draw(st.sampled_from(ZONES_WRITTEN))
        utc = "Z" if not zone and draw(st.booleans()) else ""
        lines += [
            "BEGIN:VEVENT",
            f"UID:u{n}@udbyder.example",
            draw(case)("DTSTART") + f"{zone}:2027031{n}T093000{utc}",
            f"DTEND{zone}:2027031{n}T113000{utc}",
        ]
        names = ["SUMMARY", "LOCATION", "DESCRIPTION"]
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            value = draw(TEXT)
            if (len(value) - len(value.rstrip("\\"))) % 2:
                value += "\\"  # a lone backslash at the end escapes nothing
            lines.append(draw(case)(name) + draw(PARAMETERS) + ":" + value)
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    folded = []
    for line in lines:
        for _ in range(draw(st.integers(0, 2))):
            if len(line) > 10:
                at = draw(st.integers(1, len(line) - 1))
                folded.append(line[:at])
                line = " " + line[at:]
        folded.append(line)
    return ("\r\n".join(folded) + "\r\n").encode()


@FAST
@given(hand_written_calendars())
def test_hand_written_calendars_read_the_same_as_icalendar_reads_them(data):
    agrees_with_icalendar(data)
