"""Declared interest in a course with no open session: demand for provider and
coordinator, counted by jobcentre."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.audit import record
from core.db import db, utcnow
from core.people.models import OrgUnit, User
from core.people.services import jobcentre_of
from courses.bookings.errors import BookingError
from courses.bookings.guards import audience_refusal
from courses.bookings.models import CourseInterest
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus


def has_open_session(course: Course) -> bool:
    """An open session that has not begun, where a seat can be booked instead."""
    return (
        db.session.scalar(
            sa.select(CourseSession.id)
            .where(
                CourseSession.course_id == course.id,
                CourseSession.status == SessionStatus.open,
                sa.or_(
                    CourseSession.starts_at.is_(None),
                    CourseSession.starts_at > utcnow(),
                ),
            )
            .limit(1)
        )
        is not None
    )


def refusal(person: User, course: Course) -> BookingError | None:
    """Why declare() would refuse: the course is not for the person's kind of
    employer, or a seat can be booked instead. The course page asks this too."""
    refused = audience_refusal(person, course)
    if refused is not None:
        return refused
    if has_open_session(course):
        return BookingError("has_open_session")
    return None


def interest_of(person: User, course: Course) -> CourseInterest | None:
    return db.session.scalar(
        sa.select(CourseInterest).where(
            CourseInterest.user_id == person.id, CourseInterest.course_id == course.id
        )
    )


def declare(actor: User, course: Course) -> CourseInterest:
    """Register the person's interest; declaring twice keeps the first."""
    existing = interest_of(actor, course)
    if existing is not None:
        return existing
    refused = refusal(actor, course)
    if refused is not None:
        raise refused
    jobcentre = jobcentre_of(actor)
    interest = CourseInterest(
        user=actor, course=course, jobcentre_id=jobcentre.id if jobcentre else None
    )
    db.session.add(interest)
    db.session.flush()
    record(actor, "course_interest.declared", interest, after={"course_id": course.id})
    return interest


def withdraw(actor: User, course: Course) -> bool:
    interest = interest_of(actor, course)
    if interest is None:
        return False
    record(
        actor, "course_interest.withdrawn", interest, before={"course_id": course.id}
    )
    db.session.delete(interest)
    db.session.flush()
    return True


def counts(*, provider_ids=None, jobcentre_id: int | None = None):
    """Rows of (course, jobcentre name, count), most wanted first, in one query."""
    jobcentre = aliased(OrgUnit)
    query = (
        sa.select(Course, jobcentre.name, sa.func.count(CourseInterest.id).label("n"))
        .join(CourseInterest, CourseInterest.course_id == Course.id)
        .outerjoin(jobcentre, jobcentre.id == CourseInterest.jobcentre_id)
        .group_by(Course.id, jobcentre.id, jobcentre.name)
        .order_by(sa.desc("n"), Course.title, jobcentre.name)
    )
    if provider_ids is not None:
        query = query.where(Course.provider_id.in_(provider_ids))
    if jobcentre_id is not None:
        query = query.where(CourseInterest.jobcentre_id == jobcentre_id)
    return db.session.execute(query).all()
