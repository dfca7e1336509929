"""What the calendars refuse, in words a provider understands: CalendarImportError
for files and feeds (the pure reader's ICalError codes are translated here) and
CalendarError for exports."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.errors import DomainError

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


class CalendarImportError(DomainError):
    """A file, feed or choice the importer refuses.

    Params `line` and `uid` say where (the message starts with them), `detail`
    what was found there (for logs and tests, never shown).
    """

    messages = MESSAGES

    @property
    def line(self) -> int | None:
        return self.params.get("line")

    @property
    def uid(self) -> str | None:
        return self.params.get("uid")

    def __str__(self) -> str:
        if self.code not in self.messages:  # a reader code this table lacks
            return str(CalendarImportError("unreadable", **self.params))
        return super().__str__()

    def _render(self, message) -> str:
        text = str(message)
        if self.line and self.uid:
            where = _("Line %(line)s, event %(uid)s", line=self.line, uid=self.uid[:80])
        elif self.line:
            where = _("Line %(line)s", line=self.line)
        elif self.uid:
            where = _("Event %(uid)s", uid=self.uid[:80])
        else:
            return text
        return f"{where}: {text}"


class CalendarError(DomainError):
    """A calendar export the rules refuse; `code` names the rule.

    Its one code, not_representable (an address iCalendar cannot carry), is
    caught where invitations are built and never shown, so it has no message.
    """
