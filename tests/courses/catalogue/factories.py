"""Factories for providers, courses and sessions, built through the services."""

from datetime import time, timedelta
from decimal import Decimal
from itertools import count

from core.db import db
from courses.catalogue import services as catalogue
from courses.catalogue.models import (
    Audience,
    Course,
    CourseStatus,
    Provider,
    ProviderKind,
)
from courses.sessions import services as sessions
from courses.sessions.models import CourseSession
from courses.sessions.timing import next_working_day
from tests.dates import working_day

_serial = count(1)


def make_provider(*members, name: str | None = None) -> Provider:
    n = next(_serial)
    provider = catalogue.create_provider(
        None,
        key=f"provider-{n}",
        name=name or f"Udbyder {n}",
        kind=ProviderKind.university_college,
    )
    for user in members:
        catalogue.add_member(None, provider, user)
    db.session.commit()
    return provider


def make_course(provider: Provider | None = None, **fields) -> Course:
    n = next(_serial)
    fields.setdefault("title", f"Kursus {n}")
    fields.setdefault("description", f"Beskrivelse af kursus {n}")
    fields.setdefault("audience", Audience.both)
    fields.setdefault("price_state", Decimal("0"))
    fields.setdefault("price_municipal", Decimal("1500"))
    # Published, as most tests need a course people can see; drafts say so.
    fields.setdefault("status", CourseStatus.published)
    course = catalogue.create_course(None, provider or make_provider(), **fields)
    db.session.commit()
    return course


def meeting(days_ahead: int = 30, start=time(9), end=time(15), place="Lokale 1"):
    return sessions.MeetingInput(
        day=working_day(days_ahead), start=start, end=end, place=place
    )


def meeting_after(course_session: CourseSession, start=time(9), end=time(15)):
    """A meeting on the first working day after the session's last day."""
    last = max(m.last_day for m in course_session.meetings)
    return sessions.MeetingInput(
        day=next_working_day(last + timedelta(days=1)),
        start=start,
        end=end,
        place="Lokale 1",
    )


def make_session(
    course: Course | None = None, *, days=(30,), **fields
) -> CourseSession:
    """A session with one meeting per entry in `days`, each on its own working day."""
    fields.setdefault("capacity", 10)
    meetings, previous = [], None
    for ahead in sorted(days):
        day = working_day(ahead)
        if previous and day <= previous:
            day = next_working_day(previous + timedelta(days=1))
        meetings.append(
            sessions.MeetingInput(
                day=day, start=time(9), end=time(15), place="Lokale 1"
            )
        )
        previous = day
    course_session = sessions.create_session(
        None, course or make_course(), meetings=meetings, **fields
    )
    db.session.commit()
    return course_session


# Who signs in for the access tables: a role name, or the provider's own staff.
ACCESS_ROLES = (
    "anonymous",
    "employee",
    "manager",
    "coordinator",
    "provider_staff",
    "own_staff",
    "admin",
)


def sign_in_as(who: str, login_as, provider: Provider):
    """Sign in for an access table; 'own_staff' works for `provider`."""
    if who == "anonymous":
        return None
    if who == "own_staff":
        user = login_as("provider_staff")
        catalogue.add_member(None, provider, user)
        db.session.commit()
        return user
    return login_as(who)
