"""Sessions, courses and people for the booking tests, built straight from the models
so each test controls times, prices and capacity exactly."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from core.db import db, utcnow
from courses.catalogue.models import Audience, Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting, SessionStatus

_serial = count(1)


def make_provider(*members) -> Provider:
    from courses.catalogue.models import ProviderMember

    n = next(_serial)
    provider = Provider(
        key=f"bk-provider-{n}", name=f"Udbyder {n}", kind=ProviderKind.cok
    )
    db.session.add(provider)
    for user in members:
        db.session.add(ProviderMember(provider=provider, user=user))
    db.session.commit()
    return provider


def make_course(
    provider: Provider | None = None,
    *,
    price: Decimal | int = 0,
    audience: Audience = Audience.both,
    prerequisites=(),
    title: str | None = None,
) -> Course:
    n = next(_serial)
    course = Course(
        provider=provider or make_provider(),
        title=title or f"Kursus {n}",
        audience=audience,
        price_state=Decimal(price),
        price_municipal=Decimal(price),
        prerequisites=list(prerequisites),
    )
    db.session.add(course)
    db.session.commit()
    return course


def make_session(
    course: Course | None = None,
    *,
    capacity: int = 10,
    price: Decimal | int = 0,
    start=None,
    hours: int = 6,
    days: int = 1,
    status: SessionStatus = SessionStatus.open,
    booking_deadline=None,
    cancellation_deadline=None,
    **course_kwargs,
) -> CourseSession:
    """A session whose first meeting begins at `start` (default: in 30 days)."""
    course = course or make_course(price=price, **course_kwargs)
    start = start or (utcnow().replace(microsecond=0) + timedelta(days=30))
    cs = CourseSession(
        course=course,
        capacity=capacity,
        status=status,
        booking_deadline=booking_deadline,
        cancellation_deadline=cancellation_deadline,
        location="Jobcenter Aarhus",
    )
    for day in range(days):
        begins = start + timedelta(days=day)
        cs.meetings.append(
            Meeting(
                starts_at=begins,
                ends_at=begins + timedelta(hours=hours),
                place="Lokale 1",
            )
        )
    cs.starts_at = start
    cs.ends_at = start + timedelta(days=days - 1, hours=hours)
    db.session.add(cs)
    db.session.commit()
    return cs
