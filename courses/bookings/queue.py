"""The waiting list's stored order: whoever joins draws the next number of the
session's queue while holding the session's row lock, so numbers follow the
order in which bookings commit, never repeat, and a place read after commit is
the one the booking holds."""

import sqlalchemy as sa

from core.db import db, plain_rows
from courses.bookings.models import Booking, BookingStatus
from courses.sessions.models import CourseSession


def draw_number(booking: Booking) -> None:
    """Give `booking` the next number in its session's queue.

    The row lock (FOR NO KEY UPDATE on PostgreSQL, which the bookings' foreign key
    does not conflict with; SQLite's write lock is already held) lasts until
    commit, so a later number always belongs to a later commit. Counting the
    waiting rows instead raced under READ COMMITTED: two people were told one place.
    """
    db.session.execute(
        sa.select(CourseSession.id)
        .where(CourseSession.id == booking.course_session_id)
        .with_for_update(key_share=True)
    )
    last = db.session.scalar(
        sa.select(sa.func.max(Booking.queue_number)).where(
            Booking.course_session_id == booking.course_session_id
        )
    )
    booking.queue_number = (last or 0) + 1


# The queue's order: the number drawn, the id only for rows from before numbers.
ORDER = (Booking.queue_number, Booking.id)


# Built once, read as plain rows: "Mine tilmeldinger" asks it on every request.
_POSITIONS = sa.select(
    Booking.id,
    sa.func.row_number().over(partition_by=Booking.course_session_id, order_by=ORDER),
).where(
    Booking.course_session_id.in_(sa.bindparam("sessions", expanding=True)),
    Booking.status == BookingStatus.waitlisted,
)


def positions(bookings) -> dict[int, int]:
    """Place on the waiting list (1 = next) of each waitlisted booking, in one query."""
    session_ids = {
        b.course_session_id for b in bookings if b.status is BookingStatus.waitlisted
    }
    if not session_ids:
        return {}
    rows = plain_rows(_POSITIONS, {"sessions": list(session_ids)})
    wanted = {b.id for b in bookings}
    return {booking_id: n for booking_id, n in rows if booking_id in wanted}
