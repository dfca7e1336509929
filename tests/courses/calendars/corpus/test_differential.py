"""The differential test of issue 16: real-world files from the public test suites
of icalendar and recurring_ical_events (README.md beside this file says where each
comes from and under which licence), each imported through the import service and
compared meeting by meeting with recurring_ical_events' expansion of the same file.

The product's clock travels to the day of each file's first event, so a series
is read from there to the horizon as it would be on that day. Two rules apply to
every file (RFC 5545 3.6.1): an instant (a date-time start with no length) is no
meeting and is left out, and a date start that ends on the same date lasts that
day. Every other difference is deliberate and listed below with its RFC section;
a file listed that stops differing fails, so the list stays true.
"""

import warnings
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import sqlalchemy as sa

from core.db import db
from courses.calendars import imports
from courses.calendars.errors import CalendarImportError
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*/*.ics"))
CPH = ZoneInfo("Europe/Copenhagen")
HORIZON_DAYS = 730

_UID = "RFC 5545 3.6.1, 3.8.4.7: UID is required; a re-import finds sessions by it"
_DTSTART = "RFC 5545 3.6.1: DTSTART is required when the calendar has no METHOD"
_LINE = "RFC 5545 3.1: a line that is not NAME;PARAM=value:value"
_NESTING = "RFC 5545 3.4, 3.6: BEGIN and END lines do not match up"
_DATE = "RFC 5545 3.3.4, 3.3.5, 3.3.6: not a DATE, DATE-TIME or DURATION"
_RULE = "RFC 5545 3.3.10: FREQ, and only the rule parts the RFC defines"
_ORDER = "RFC 5545 3.8.2.2: DTEND must be later than DTSTART"
_TZ = "RFC 5545 3.2.19: a TZID must name a VTIMEZONE in the file (or a known zone)"

# Files the import refuses (with a Danish message and nothing written), by the
# error code the provider is shown; recurring_ical_events reads some of them.
REFUSED = {
    "icalendar/america_new_york_forward_reference.ics": (
        "bad_line",
        "RFC 5545 3.6.1: DTSTART must not occur more than once",
    ),
    "icalendar/big_bad_calendar.ics": ("bad_structure", _NESTING),
    "icalendar/broken_dtstart.ics": ("bad_date", _DATE),
    "icalendar/broken_ical.ics": ("bad_line", _LINE),
    "icalendar/created_calendar_with_unicode_fields.ics": ("missing_uid", _UID),
    "icalendar/invalid_duration.ics": ("bad_date", _DATE),
    "icalendar/issue_104_broken_calendar.ics": ("bad_line", _LINE),
    "icalendar/issue_1050_multiple_calendars.ics": ("missing_dtstart", _DTSTART),
    "icalendar/issue_1050_uid_in_description.ics": ("missing_dtstart", _DTSTART),
    "icalendar/issue_1081_invalid_rrule_freq.ics": ("bad_rrule", _RULE),
    "icalendar/issue_1081_invalid_start_and_end.ics": ("bad_date", _DATE),
    "icalendar/issue_1081_invalid_start_valid_end.ics": ("bad_date", _DATE),
    "icalendar/issue_1081_with_summary.ics": ("missing_dtstart", _DTSTART),
    "icalendar/issue_1549_binary_attachment.ics": ("missing_dtstart", _DTSTART),
    "icalendar/issue_1561_image_value.ics": ("missing_dtstart", _DTSTART),
    "icalendar/issue_156_RDATE_with_PERIOD_TZID_khal.ics": ("missing_uid", _UID),
    "icalendar/issue_165_missing_event.ics": ("missing_uid", _UID),
    "icalendar/issue_168_input.ics": ("bad_line", _LINE),
    "icalendar/issue_178_custom_component_contains_other.ics": (
        "not_calendar",
        "RFC 5545 3.4: a file begins with BEGIN:VCALENDAR",
    ),
    "icalendar/issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": (
        "missing_uid",
        _UID,
    ),
    "icalendar/issue_322_expected_calendar.ics": ("missing_uid", _UID),
    "icalendar/issue_348_exception_parsing_value.ics": ("bad_line", _LINE),
    "icalendar/issue_350.ics": (
        "bad_structure",
        "RFC 5545 3.4: only whole VCALENDARs follow END:VCALENDAR",
    ),
    "icalendar/issue_351_whitespace_in_property_and_params.ics": ("bad_line", _LINE),
    "icalendar/issue_526_calendar_with_different_events.ics": ("unknown_tz", _TZ),
    "icalendar/issue_526_calendar_with_event_subset.ics": ("unknown_tz", _TZ),
    "icalendar/issue_526_calendar_with_events.ics": ("unknown_tz", _TZ),
    "icalendar/issue_526_calendar_with_shuffeled_events.ics": ("unknown_tz", _TZ),
    "icalendar/issue_722_missing_VTIMEZONE_custom.ics": ("missing_uid", _UID),
    "icalendar/issue_722_missing_timezones.ics": ("missing_uid", _UID),
    "icalendar/issue_798_related_to.ics": ("missing_uid", _UID),
    "icalendar/issue_82_expected_output.ics": (
        "not_calendar",
        "RFC 5545 3.4: a file begins with BEGIN:VCALENDAR",
    ),
    "icalendar/multiple_calendar_components.ics": ("bad_line", _LINE),
    "icalendar/multiple_timezones.ics": (
        "bad_date",
        "RFC 5545 3.8.5.2: RDATE is DATE-TIME, DATE or PERIOD, never TIME",
    ),
    "icalendar/pacific_fiji.ics": (
        "bad_line",
        "RFC 5545 3.6.1: DTSTART must not occur more than once",
    ),
    "icalendar/parsing_error.ics": ("missing_uid", _UID),
    "icalendar/pr_480_summary_with_colon.ics": ("bad_structure", _NESTING),
    "icalendar/rfc_5545_RDATE_example.ics": ("missing_dtstart", _DTSTART),
    "icalendar/rfc_6868.ics": ("missing_uid", _UID),
    "icalendar/rfc_7256_multi_value_parameters.ics": ("missing_dtstart", _DTSTART),
    "icalendar/rfc_7529.ics": (
        "bad_rrule",
        "RFC 7529 RSCALE (non-Gregorian recurrence) is not supported",
    ),
    "icalendar/rfc_7986_conferences.ics": ("missing_uid", _UID),
    "icalendar/rfc_7986_image.ics": ("missing_dtstart", _DTSTART),
    "icalendar/rfc_9253_gap.ics": ("missing_dtstart", _DTSTART),
    "icalendar/rfc_9253_related_to.ics": ("missing_dtstart", _DTSTART),
    "icalendar/small_bad_calendar.ics": ("bad_structure", _NESTING),
    "icalendar/timezone_rdate.ics": ("bad_line", _LINE),
    "icalendar/timezone_same_start_and_offset.ics": ("bad_structure", _NESTING),
    "recurring_ical_events/bad_rrule_missing_until_event.ics": ("bad_rrule", _RULE),
    "recurring_ical_events/duration.ics": ("missing_uid", _UID),
    "recurring_ical_events/end_before_start_event.ics": ("end_before_start", _ORDER),
    "recurring_ical_events/issue_107_omitting_last_event.ics": ("missing_uid", _UID),
    "recurring_ical_events/issue_113_period_rdate_duration.ics": ("missing_uid", _UID),
    "recurring_ical_events/issue_117_until_before_dtstart.ics": ("missing_uid", _UID),
    "recurring_ical_events/issue_128_only_first_event.ics": ("missing_uid", _UID),
    "recurring_ical_events/issue_132_swapped_start_and_end.ics": (
        "end_before_start",
        _ORDER,
    ),
    "recurring_ical_events/issue_15_duplicated_events.ics": ("missing_uid", _UID),
    "recurring_ical_events/issue_164_duplicated_event.ics": (
        "duplicate_uid",
        "RFC 5545 3.8.4.4, 3.8.7.4: two overrides of one instance at one SEQUENCE",
    ),
    "recurring_ical_events/issue_201_mixed_datetime_and_date.ics": (
        "bad_date",
        "RFC 5545 3.8.2.2: DTEND has the value type of DTSTART",
    ),
    "recurring_ical_events/issue_201_test_matrix.ics": ("bad_structure", _NESTING),
    "recurring_ical_events/issue_61_time_zone_error.ics": (
        "bad_line",
        "RFC 5545 3.1: a folded line continues with a space or tab",
    ),
    "recurring_ical_events/rdate.ics": ("missing_uid", _UID),
    "recurring_ical_events/rdate2.ics": ("missing_uid", _UID),
    "recurring_ical_events/rdate_hackerpublicradio.ics": ("missing_uid", _UID),
}

# Files imported, deliberately not as recurring_ical_events expands them.
DIFFERENT = {
    "icalendar/issue_1633_rdate_with_dates.ics": (
        "RFC 5545 3.3.9: a PERIOD is of DATE-TIMEs; a PERIOD of dates is ignored"
    ),
    "icalendar/issue_1633_rdate_with_dates_and_tzid.ics": (
        "RFC 5545 3.3.9: a PERIOD is of DATE-TIMEs; a PERIOD of dates is ignored"
    ),
    "recurring_ical_events/issue_253_additional_recurrence_id.ics": (
        "RFC 5545 3.8.5.3, 3.8.4.4: an override with its own RRULE (a series split "
        "'this and following') gives its own instances from its RECURRENCE-ID on"
    ),
    "recurring_ical_events/issue_253_edge_case_1.ics": (
        "RFC 5545 3.8.5.3, 3.8.4.4: an override with its own RRULE takes over"
    ),
    "recurring_ical_events/issue_253_recurrence_id_included.ics": (
        "RFC 5545 3.8.5.3, 3.8.4.4: an override with its own RRULE takes over"
    ),
    "recurring_ical_events/issue_75_range_parameter.ics": (
        "RFC 5545 3.3.10: a date UNTIL for a date-time DTSTART is read as the whole "
        "day, so the instance at noon on that day is kept (and moved by RANGE)"
    ),
    "recurring_ical_events/issue_148_edge_case_1.ics": (
        "RFC 5545 3.8.7.4: SEQUENCE orders revisions of one component; an override "
        "is kept when the series is edited later"
    ),
    "recurring_ical_events/issue_148_edge_case_2.ics": (
        "RFC 5545 3.8.7.4: an override is kept when the series is edited later"
    ),
    "recurring_ical_events/issue_163_deleted_modification.ics": (
        "RFC 5545 3.8.5.1, 3.8.4.4: EXDATE takes an instance from the series; an "
        "override of that instance still stands"
    ),
}


def _quietly(read, *args):
    """icalendar warns when it guesses (a vendor-prefixed TZID); the warnings
    are the reference's, not the import's, and pytest makes them errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read(*args)


def _first_day(data: bytes) -> date | None:
    try:
        calendars = _quietly(icalendar.Calendar.from_ical, data, True)
    except Exception:
        return None
    starts = []
    for calendar in calendars:
        for component in calendar.walk("VEVENT"):
            try:
                value = component.decoded("DTSTART")
            except Exception:
                continue
            if isinstance(value, date):
                starts.append(value.date() if isinstance(value, datetime) else value)
    return min(starts, default=None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=CPH)


def _meeting(uid: str, start, end) -> tuple:
    if not isinstance(start, datetime):
        return (uid, "day", start, end if end > start else start + timedelta(days=1))
    return (uid, "at", _aware(start).astimezone(UTC), _aware(end).astimezone(UTC))


def _in_window(meetings: set[tuple], since: date) -> set[tuple]:
    """The meetings that start well inside the window both sides expand."""
    first = datetime.combine(since, time(0), CPH)
    last = first + timedelta(days=HORIZON_DAYS - 3)

    def start(m) -> datetime:
        return datetime.combine(m[2], time(0), CPH) if m[1] == "day" else m[2]

    return {m for m in meetings if first <= start(m) <= last}


def _theirs(data: bytes, since: date) -> set[tuple]:
    found = set()
    begin = datetime.combine(since, time(0))
    for calendar in _quietly(icalendar.Calendar.from_ical, data, True):
        query = recurring_ical_events.of(calendar)
        end = begin + timedelta(days=HORIZON_DAYS)
        for event in _quietly(query.between, begin, end):
            if str(event.get("STATUS", "")).upper() in ("CANCELLED", "CANCELED"):
                continue
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            if isinstance(start, datetime) and _aware(end) <= _aware(start):
                continue  # an instant (RFC 5545 3.6.1): no meeting
            found.add(_meeting(str(event.get("UID", "")), start, end))
    return found


def _ours(provider) -> set[tuple]:
    rows = db.session.execute(
        sa.select(CourseSession.provider_uid, Meeting)
        .join(Meeting.course_session)
        .join(CourseSession.course)
        .where(
            Course.provider_id == provider.id,
            CourseSession.status != SessionStatus.cancelled,
            Meeting.cancelled.is_(False),
        )
    ).all()
    found = set()
    for uid, m in rows:
        if m.all_day:
            found.add((uid, "day", m.first_day, m.last_day + timedelta(days=1)))
        else:
            found.add((uid, "at", m.starts_at, m.ends_at))
    return found


def test_every_file_in_the_corpus_is_listed_or_compared():
    names = {f"{p.parent.name}/{p.name}" for p in FILES}
    assert len(names) > 150
    assert set(REFUSED) <= names
    assert set(DIFFERENT) <= names
    assert not set(REFUSED) & set(DIFFERENT)
    for folder in ("icalendar", "recurring_ical_events"):
        assert (HERE / folder / "README.md").is_file()
        assert list((HERE / folder).glob("LICENSE*"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_import_agrees_with_recurring_ical_events(app, make_provider, travel, path):
    name = f"{path.parent.name}/{path.name}"
    data = path.read_bytes()
    app.config["CALENDAR_IMPORT_HORIZON_DAYS"] = HORIZON_DAYS
    app.config["CALENDAR_IMPORT_MAX_MEETINGS"] = 5000
    since = _first_day(data)
    if since is not None:
        travel(datetime.combine(since, time(12)))
    provider = make_provider(name="Korpus")

    if name in REFUSED:
        with pytest.raises(CalendarImportError) as caught:
            imports.store(None, provider, data)
        assert caught.value.code == REFUSED[name][0]
        return
    stored, _events = imports.store(None, provider, data)
    imports.apply(None, stored)
    db.session.commit()

    ours = _in_window(_ours(provider), since)
    theirs = _in_window(_theirs(data, since), since)
    if name in DIFFERENT:
        assert ours != theirs, f"{name} no longer differs: take it off DIFFERENT"
    else:
        assert sorted(ours - theirs) == sorted(theirs - ours) == []
