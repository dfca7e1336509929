"""The seat counter: one conditional UPDATE per seat, in the booking's transaction.

`UPDATE ... SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity` is
atomic on every engine: two transactions can never both take the last seat, and
the CHECK constraint seats_within_capacity stands behind it. (The concurrency
tests swap take() for a read-then-write in their own processes, to show that they
catch the overbooking it allows.)
"""

import sqlalchemy as sa

from core.db import db, plain_rows
from courses.sessions.models import CourseSession


def _seat_change(step: int) -> sa.Update:
    """Take (+1) a seat while one is free, or give one back (-1) while any is
    taken, on the session `seat_session_id`."""
    has_room = (
        CourseSession.seats_taken < CourseSession.capacity
        if step > 0
        else CourseSession.seats_taken > 0
    )
    return (
        sa.update(CourseSession)
        .where(CourseSession.id == sa.bindparam("seat_session_id"), has_room)
        .values(seats_taken=CourseSession.seats_taken + step)
        .execution_options(synchronize_session=False)
    )


# Built once: every booking takes a seat, and building the statement and its
# cache key cost about as much as running it (issue 19, the booking POST). Run
# on the session's connection (after its flush), not through the ORM's bulk
# UPDATE, whose set-up cost more than the statement.
_TAKE, _RELEASE = _seat_change(1), _seat_change(-1)


def take(course_session: CourseSession) -> bool:
    """Take one seat if one is free; False when the session is full."""
    result = plain_rows(_TAKE, {"seat_session_id": course_session.id})
    db.session.expire(course_session, ["seats_taken", "capacity"])
    return result.rowcount == 1


def release(course_session: CourseSession) -> None:
    """Give one seat back."""
    plain_rows(_RELEASE, {"seat_session_id": course_session.id})
    db.session.expire(course_session, ["seats_taken", "capacity"])
