"""The courses a demand report names, read once: the titles of the courses whose
sessions close gaps, and, for a jobcentre, the interest its people declared in
courses with no open session ahead to book (and not archived)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.clock import now
from core.db import db
from courses.bookings.models import CourseInterest
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus


@dataclass
class NamedCourses:
    titles: dict[int, str] = field(default_factory=dict)  # course id -> title
    # (title, people interested) for courses with nothing to book, most first
    interest: list[tuple[str, int]] = field(default_factory=list)


def named_courses(course_ids: Iterable[int], jobcentre_id: int | None) -> NamedCourses:
    """One query (none when there is nothing to name)."""
    ids = set(course_ids)
    found = NamedCourses()
    if jobcentre_id is None:
        if ids:
            stmt = sa.select(Course.id, Course.title).where(Course.id.in_(ids))
            found.titles = dict(db.session.execute(stmt).all())
        return found
    bookable = sa.exists().where(
        CourseSession.course_id == Course.id,
        CourseSession.status == SessionStatus.open,
        sa.or_(CourseSession.starts_at.is_(None), CourseSession.starts_at > now()),
    )
    nothing_to_book = sa.and_(Course.archived_at.is_(None), ~bookable)
    wanted = sa.func.count(CourseInterest.id)
    rows = db.session.execute(
        sa.select(
            Course.id,
            Course.title,
            wanted,
            sa.case((nothing_to_book, True), else_=False),
        )
        .outerjoin(
            CourseInterest,
            sa.and_(
                CourseInterest.course_id == Course.id,
                CourseInterest.jobcentre_id == jobcentre_id,
            ),
        )
        .where(sa.or_(Course.id.in_(ids), CourseInterest.id.is_not(None)))
        .group_by(Course.id, Course.title, Course.archived_at)
        .order_by(wanted.desc(), Course.title, Course.id)
    )
    for course_id, title, n, unbookable in rows:
        found.titles[course_id] = title
        if n and unbookable:
            found.interest.append((title, n))
    return found
