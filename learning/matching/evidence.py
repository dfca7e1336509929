"""Evidence: what a completed booking leaves on the person's profile. It sits beside
the ratings and never is one; the manager turns it into a level in the next
manager or agreed rating."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.db import db, utcnow
from courses.bookings.models import Booking
from courses.sessions.timing import local
from learning.matching.models import CourseCompetence, Evidence, EvidenceKind


def completed_on(booking: Booking, now: datetime) -> date:
    """The session's last day, or today in Copenhagen if completed before it."""
    end = booking.course_session.ends_at or now
    return local(min(end, now)).date()


def record_completion(booking: Booking, *, now: datetime | None = None) -> list:
    """Dated evidence for each competence the booking's course develops; once per
    booking and competence, so completing again adds nothing."""
    course = booking.course_session.course
    developed = db.session.scalars(
        sa.select(CourseCompetence.competence_id).where(
            CourseCompetence.course_id == course.id
        )
    ).all()
    present = set(
        db.session.scalars(
            sa.select(Evidence.competence_id).where(Evidence.booking_id == booking.id)
        )
    )
    day = completed_on(booking, now or utcnow())
    added = [
        Evidence(
            person_id=booking.user_id,
            competence_id=competence_id,
            kind=EvidenceKind.course,
            title=course.title,
            occurred_on=day,
            booking_id=booking.id,
        )
        for competence_id in developed
        if competence_id not in present
    ]
    db.session.add_all(added)
    db.session.flush()
    return added


def evidence_by_competence(person_id: int) -> dict[int, list[Evidence]]:
    """Competence id -> the person's evidence for it, newest first."""
    result: dict[int, list[Evidence]] = {}
    rows = db.session.scalars(
        sa.select(Evidence)
        .options(joinedload(Evidence.competence))
        .where(Evidence.person_id == person_id)
        .order_by(Evidence.occurred_on.desc(), Evidence.id.desc())
    )
    for item in rows:
        result.setdefault(item.competence_id, []).append(item)
    return result
