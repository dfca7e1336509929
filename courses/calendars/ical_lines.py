"""iCalendar text as content lines (RFC 5545 3.1): what the writer and the reader
share, and the scanner that checks an upload's lines before anything is decoded."""

import re
from dataclasses import dataclass, field

# Course dates outside this range are data errors; the bound also keeps all
# time-zone and recurrence arithmetic far away from datetime's limits.
MIN_YEAR, MAX_YEAR = 1900, 2200

# C0 controls other than TAB and LF, DEL, C1 controls and lone surrogates can
# be neither iCalendar TEXT (RFC 5545 3.3.11) nor UTF-8.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# A name and parameters (quoted or not) up to the value's colon (RFC 5545 3.1).
_CONTENT_LINE = re.compile(
    r'([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):'
)
_COMPONENT = re.compile(r"[A-Z0-9-]+")
_MAX_DEPTH = 4  # VCALENDAR > VEVENT > VALARM > an X- component

ERRORS = {
    "empty": "The file is empty.",
    "too_large": "The file is larger than allowed.",
    "too_many_components": "The file holds more events than allowed.",
    "binary": "The file is not UTF-8 text.",
    "not_calendar": "The file is not an iCalendar file (BEGIN:VCALENDAR).",
    "bad_structure": "BEGIN and END lines do not match up.",
    "bad_line": "A line is not a valid iCalendar property.",
    "missing_uid": "An event has no UID.",
    "missing_dtstart": "An event has no start (DTSTART).",
    "bad_date": "A date, time or duration cannot be read or is out of range.",
    "unknown_tz": "A time refers to a time zone (TZID) the file does not define.",
    "bad_timezone": "A time zone definition (VTIMEZONE) cannot be used.",
    "end_before_start": "An event ends before it starts.",
    "bad_rrule": "A recurrence rule cannot be read or is not supported.",
    "duplicate_uid": "Two events share a UID (and RECURRENCE-ID).",
    "too_many_occurrences": "The recurring events expand to too many meetings.",
    "too_complex": "The file takes too long to read.",
}


class ICalError(ValueError):
    """An unusable calendar file: `code` to translate, `line` and `uid` to point at.

    A plain ValueError, not a core DomainError: this module stays free of Flask,
    Babel and the database (the architecture test holds it to that), so its
    messages here are English, for logs. Where a file enters the application,
    imports.py turns it into a CalendarImportError with the same code, whose
    Danish message lives in errors.py.
    """

    def __init__(
        self,
        code: str,
        detail: object = "",
        *,
        line: int | None = None,
        uid: str | None = None,
    ) -> None:
        text = clean_text(str(detail)).replace("\n", " ")
        self.code = code
        self.detail = text if len(text) <= 80 else text[:79] + "…"
        self.line = line  # 1-based physical line of the uploaded file, before unfolding
        self.uid = uid
        super().__init__(code, self.detail, line, uid)

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line else []
        where += [f"UID {self.uid!r}"] if self.uid else []
        text = ERRORS.get(self.code, self.code)
        text += f" ({', '.join(where)})" if where else ""
        return f"{text}: {self.detail!r}" if self.detail else text


def clean_text(value: str) -> str:
    """Return `value` as it survives a round trip: line breaks as LF, no controls."""
    return _UNWRITABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(slots=True)
class Property:
    """One content line inside a component: the name upper-cased, the rest as sent."""

    name: str
    params: str  # ";NAME=value,..." as written (values may be quoted), or ""
    value: str  # still escaped; only the reader knows the value type
    index: int  # of the content line in ContentLines.lines


@dataclass(slots=True)
class Component:
    """A BEGIN/END block: its properties by name, in file order, and its children."""

    name: str
    index: int  # of its BEGIN line
    properties: dict[str, list[Property]] = field(default_factory=dict)
    children: list["Component"] = field(default_factory=list)


@dataclass(slots=True)
class ContentLines:
    """An uploaded file as unfolded content lines and the components they form."""

    lines: list[str]  # unfolded
    numbers: list[int]  # the physical line on which each content line starts
    calendar: Component | None = None  # the VCALENDAR, once the nesting is checked


def scan_content_lines(
    data: bytes, *, max_bytes: int, max_components: int
) -> ContentLines:
    """Check size, encoding and BEGIN/END structure, and split every line into its
    name, parameters and value: the reader decodes only the properties it uses."""
    if len(data) > max_bytes:
        raise ICalError("too_large", f"{len(data)} > {max_bytes} bytes")
    if not data.strip():
        raise ICalError("empty")
    # A cheap count first; the exact one below sees folded BEGIN lines too.
    count = data.upper().count(b"BEGIN:VEVENT")
    if count > max_components:
        raise ICalError("too_many_components", f"{count} > {max_components}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ICalError("binary", "NUL byte", line=data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ICalError("binary", data[exc.start : exc.start + 4], line=line) from exc
    lone_cr = re.search(r"\r(?!\n)", text)
    if lone_cr:
        line = text.count("\n", 0, lone_cr.start()) + 1
        raise ICalError("bad_line", "carriage return without line feed", line=line)
    found = _unfold(text)
    if not found.lines:
        raise ICalError("empty")
    if found.lines[0].upper() != "BEGIN:VCALENDAR":
        raise ICalError("not_calendar", found.lines[0], line=found.numbers[0])
    found.calendar = _components(found, max_components)
    return found


def _unfold(text: str) -> ContentLines:
    lines: list[str] = []
    numbers: list[int] = []
    parts: list[str] = []
    for number, raw in enumerate(text.split("\n"), 1):
        raw = raw.removesuffix("\r")
        if parts and raw[:1] in (" ", "\t"):
            parts.append(raw[1:])
            continue
        if parts:
            lines.append("".join(parts))
        parts = [raw] if raw else []
        if raw:
            numbers.append(number)
    if parts:
        lines.append("".join(parts))
    return ContentLines(lines, numbers)


def _components(found: ContentLines, max_components: int) -> Component:
    stack: list[Component] = []
    calendar = None
    vevents = 0
    for index, line in enumerate(found.lines):
        number = found.numbers[index]
        match = _CONTENT_LINE.match(line)
        if not match:
            raise ICalError("bad_line", line, line=number)
        name = match.group(1).upper()
        if index and not stack and line.upper() != "BEGIN:VCALENDAR":
            raise ICalError(
                "bad_structure", f"after END:VCALENDAR: {line}", line=number
            )
        if name not in ("BEGIN", "END"):
            prop = Property(name, match.group(2), line[match.end() :], index)
            stack[-1].properties.setdefault(name, []).append(prop)
            continue
        component = line[match.end() :].upper()
        if match.group(2) or not _COMPONENT.fullmatch(component):
            raise ICalError("bad_structure", line, line=number)
        if name == "BEGIN":
            if (
                len(stack) >= _MAX_DEPTH
                or (component == "VCALENDAR") != (not stack)
                or (component == "VEVENT" and len(stack) != 1)
            ):
                raise ICalError("bad_structure", line, line=number)
            vevents += component == "VEVENT"
            if vevents > max_components:
                raise ICalError(
                    "too_many_components", f"> {max_components}", line=number
                )
            opened = Component(component, index)
            if stack:
                stack[-1].children.append(opened)
            elif calendar is None:
                calendar = opened
            else:
                # A stream of several VCALENDARs (RFC 5545 3.4) reads as one.
                opened = calendar
            stack.append(opened)
        elif not stack or stack[-1].name != component:
            raise ICalError("bad_structure", line, line=number)
        else:
            stack.pop()
    if stack:
        raise ICalError(
            "bad_structure",
            f"BEGIN:{stack[-1].name} without END",
            line=found.numbers[stack[-1].index],
        )
    return calendar
