"""The seat counter: one conditional UPDATE per seat, in the booking's transaction.

`UPDATE ... SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity` is
atomic on every engine: two transactions can never both take the last seat, and
the CHECK constraint seats_within_capacity stands behind it.

The test-only setting BOOKING_UNSAFE_SEAT_COUNT replaces it with the classic
read-then-write in Python (the count read in a separate, earlier transaction), so
the concurrency tests can show that they catch an overbooking.
"""

import time

import sqlalchemy as sa
from flask import current_app

from core.db import db
from courses.sessions.models import CourseSession

UNSAFE_SETTING = "BOOKING_UNSAFE_SEAT_COUNT"


def unsafe_mode() -> bool:
    """Only ever in a test app: a production setting of it is ignored."""
    return bool(current_app.testing and current_app.config.get(UNSAFE_SETTING))


def take(
    course_session: CourseSession, snapshot: tuple[int, int] | None = None
) -> bool:
    """Take one seat if one is free; False when the session is full."""
    if unsafe_mode():
        return _take_unsafely(course_session, snapshot)
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


def set_capacity(course_session: CourseSession, capacity: int) -> bool:
    """Change the capacity unless it would fall below the seats taken."""
    result = db.session.execute(
        sa.update(CourseSession)
        .where(
            CourseSession.id == course_session.id, CourseSession.seats_taken <= capacity
        )
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(course_session, ["seats_taken", "capacity"])
    return result.rowcount == 1


def unsafe_snapshot(course_session_id: int) -> tuple[int, int] | None:
    """In unsafe mode, read (seats_taken, capacity) outside the caller's transaction."""
    if not unsafe_mode():
        return None
    raw = db.engine.raw_connection()
    try:
        mark = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
        cursor = raw.cursor()
        cursor.execute(
            f"SELECT seats_taken, capacity FROM course_sessions WHERE id = {mark}",
            (course_session_id,),
        )
        taken, capacity = cursor.fetchone()
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return int(taken), int(capacity)


def _take_unsafely(
    course_session: CourseSession, snapshot: tuple[int, int] | None
) -> bool:
    taken, capacity = snapshot or unsafe_snapshot(course_session.id)
    if taken >= capacity:
        return False
    time.sleep(0.002)  # a slow page between reading and writing, as in real life
    db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == course_session.id)
        .values(seats_taken=taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(course_session, ["seats_taken", "capacity"])
    return True
