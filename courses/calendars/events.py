"""The building blocks every calendar export shares: UIDs, validators, rows."""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from werkzeug.routing import BuildError

from core.urls import public_base_url
from courses.bookings.models import BookingStatus
from courses.calendars import ical
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus

# Bump when the shape of the bytes changes, so cached copies are not reused.
FORMAT_VERSION = "4"
FEED_STATUSES = (SessionStatus.open, SessionStatus.cancelled)
# Bookings that put the course in the person's calendar.
PERSONAL_STATUSES = (
    BookingStatus.offered,
    BookingStatus.confirmed,
    BookingStatus.attended,
    BookingStatus.no_show,
    BookingStatus.completed,
)
GONE = (BookingStatus.cancelled, BookingStatus.late_cancelled, BookingStatus.rejected)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedState:
    """What decides a feed's bytes, read with one query; `name` is the owner's."""

    owner_id: int
    name: str
    etag: str
    last_modified: datetime


def uid_domain() -> str:
    return current_app.config["CALENDAR_UID_DOMAIN"]


def meeting_uid(meeting_id: int) -> str:
    """The UID of a meeting in its provider's public feed."""
    return f"meeting-{meeting_id}@{uid_domain()}"


def person_meeting_uid(meeting_id: int, user_id: int) -> str:
    """One UID per person and meeting, shared by the personal feed and invitations."""
    return f"meeting-{meeting_id}-person-{user_id}@{uid_domain()}"


def feed_state(owner_id: int, name: str, stamps: Iterable, *numbers) -> FeedState:
    moments = [s for s in stamps if s is not None]
    last = max(moments, default=EPOCH).replace(microsecond=0)
    key = "|".join(
        str(x)
        for x in (FORMAT_VERSION, uid_domain(), public_base_url(), name)
        + tuple(numbers)
        + tuple(m.isoformat() for m in moments)
    )
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    return FeedState(owner_id, name, etag, last)


def feed_aggregates(m, cs, c) -> list:
    return [
        sa.func.count(m.id),
        sa.func.sum(m.id),
        sa.func.sum(m.sequence + cs.sequence),
        sa.func.max(m.updated_at),
        sa.func.max(cs.updated_at),
        sa.func.max(c.updated_at),
    ]


def in_default_locale(text: Callable[[], str]) -> str:
    """Calendar names in the default language, whatever the reader's session says."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return text()


def course_links() -> Callable[[int], str]:
    """Course page URLs from BASE_URL, so invitations sent outside a request and
    feeds read through any host name carry the same links; with no BASE_URL, from
    the address the feed or page was reached at."""
    base = public_base_url()
    adapter = current_app.url_map.bind("localhost")
    # A feed names each course once per meeting: built and checked once each.
    built: dict[int, str] = {}

    def link(course_id: int) -> str:
        url = built.get(course_id)
        if url is None:
            url = built[course_id] = _link(adapter, base, course_id)
        return url

    return link


def _link(adapter, base: str, course_id: int) -> str:
    try:
        path = adapter.build("courses.catalogue.detail", {"course_id": course_id})
    except BuildError:
        return ""
    url = base + path
    return url if ical._URL.fullmatch(url) else ""


def summary(course_title: str, meeting_title: str) -> str:
    return f"{course_title}: {meeting_title}" if meeting_title else course_title


def description(course_description: str, online_url: str) -> str:
    return "\n\n".join(part for part in (course_description[:1000], online_url) if part)


# Labelled, so feed code reads rows by name (row.place, row.session_status, ...).
MEETING_COLUMNS = (
    Meeting.id.label("meeting_id"),
    Meeting.course_session_id.label("session_id"),
    Meeting.starts_at.label("start"),
    Meeting.ends_at.label("end"),
    Meeting.all_day.label("all_day"),
    Meeting.title.label("meeting_title"),
    Meeting.place.label("place"),
    Meeting.cancelled.label("meeting_cancelled"),
    Meeting.sequence.label("meeting_sequence"),
    Meeting.updated_at.label("meeting_updated_at"),
    CourseSession.location.label("location"),
    CourseSession.online_url.label("online_url"),
    CourseSession.status.label("session_status"),
    CourseSession.sequence.label("session_sequence"),
    CourseSession.updated_at.label("session_updated_at"),
    Course.id.label("course_id"),
    Course.title.label("course_title"),
    Course.description.label("course_description"),
    Course.updated_at.label("course_updated_at"),
)
