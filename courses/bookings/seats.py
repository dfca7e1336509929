"""The seat counter: one conditional UPDATE per seat, in the booking's transaction.

`UPDATE ... SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity` is
atomic on every engine: two transactions can never both take the last seat, and
the CHECK constraint seats_within_capacity stands behind it. (The concurrency
tests swap take() for a read-then-write in their own processes, to show that they
catch the overbooking it allows.)
"""

import sqlalchemy as sa

from core.db import db
from courses.sessions.models import CourseSession


def take(course_session: CourseSession) -> bool:
    """Take one seat if one is free; False when the session is full."""
    result = db.session.execute(
        sa.update(CourseSession)
        .where(
            CourseSession.id == course_session.id,
            CourseSession.seats_taken < CourseSession.capacity,
        )
        .values(seats_taken=CourseSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(course_session, ["seats_taken", "capacity"])
    return result.rowcount == 1


def release(course_session: CourseSession) -> None:
    """Give one seat back."""
    db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == course_session.id, CourseSession.seats_taken > 0)
        .values(seats_taken=CourseSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(course_session, ["seats_taken", "capacity"])
