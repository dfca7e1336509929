"""What is wrong with a calendar file, in words a provider understands."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from courses.calendars.importing import CalendarImportError

MESSAGES = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large."),
    "too_many_components": _l(
        "The file holds more events than can be imported at once."
    ),
    "binary": _l("The file is not a text file in UTF-8 (is it a calendar file?)."),
    "not_calendar": _l(
        "The file is not an iCalendar file: it must begin with BEGIN:VCALENDAR."
    ),
    "bad_structure": _l("The BEGIN and END lines of the file do not match up."),
    "bad_line": _l("A line cannot be read as an iCalendar property."),
    "missing_uid": _l("An event has no UID."),
    "missing_dtstart": _l("An event has no start time (DTSTART)."),
    "bad_date": _l("A date, time or duration cannot be read or is out of range."),
    "unknown_tz": _l(
        "A time refers to a time zone (TZID) that the file does not define."
    ),
    "bad_timezone": _l(
        "A time zone definition (VTIMEZONE) in the file cannot be used."
    ),
    "end_before_start": _l("An event ends before it starts."),
    "bad_rrule": _l("A recurrence rule (RRULE) cannot be read or is not supported."),
    "duplicate_uid": _l("Two events have the same UID (and RECURRENCE-ID)."),
    "too_many_occurrences": _l("The recurring events give too many meetings."),
    "too_complex": _l("The file takes too long to read."),
    "unreadable": _l("The file cannot be read."),
    "no_events": _l("The file holds no events."),
    "uid_too_long": _l("An event's UID is longer than 500 characters."),
    "bad_recurrence": _l("An event's RECURRENCE-ID cannot be used."),
    "no_duration": _l(
        "An event has no length: give it an end time (DTEND) or a duration."
    ),
    "bad_course_choice": _l("The chosen course does not belong to this provider."),
    "capacity_below_taken": _l(
        "The file gives a session fewer seats than are already taken."
    ),
    "already_applied": _l("This file has already been imported."),
    "fetch_failed": _l("The calendar feed could not be fetched."),
}


def error_text(exc: CalendarImportError) -> str:
    """The Danish message for `exc`, with the line and UID it concerns."""
    text = str(MESSAGES.get(exc.code, MESSAGES["unreadable"]))
    if exc.line and exc.uid:
        where = _("Line %(line)s, event %(uid)s", line=exc.line, uid=exc.uid[:80])
    elif exc.line:
        where = _("Line %(line)s", line=exc.line)
    elif exc.uid:
        where = _("Event %(uid)s", uid=exc.uid[:80])
    else:
        return text
    return f"{where}: {text}"
