"""Worker processes for the concurrency tests: each books seats for many people
through the real service, in its own process with its own connections.

In unsafe mode a worker swaps the seat counter (courses.bookings.seats.take) for
the classic read-then-write: the count is read in a separate transaction before
the booking's own begins, and written back plus one after a pause. Production has
one way to take a seat; this one lives here only, so the tests can show that they
catch the overbooking it allows."""

import time
from decimal import Decimal

import sqlalchemy as sa

_state: dict = {}


def init_worker(database_url: str, barrier) -> None:
    """Build the app once per process (spawned: nothing shared with the parent)."""
    from wsgi import create_app

    _state["barrier"] = barrier
    _state["app"] = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "concurrency-test-secret-key-long-enough-for-tests",
        }
    )


def read_counter(course_session_id: int) -> tuple[int, int]:
    """(seats_taken, capacity) as committed, read on a driver connection of its
    own (no write lock on SQLite), before the booking's transaction begins."""
    from core.db import db

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


def take_unsafely(course_session) -> bool:
    """seats.take as a careless programmer writes it: check the count read before
    the transaction began, pause as a slow page does, write the count plus one."""
    from core.db import db
    from courses.sessions.models import CourseSession

    taken, capacity = _state.pop("counter")
    if taken >= capacity:
        return False
    time.sleep(0.002)
    db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == course_session.id)
        .values(seats_taken=taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(course_session, ["seats_taken", "capacity"])
    return True


def book_many(task: tuple[int, list[int], bool]) -> list[str]:
    """Book the session for each user in turn; returns each outcome, never raises."""
    from core.db import db
    from core.people.models import User
    from courses.bookings import seats, services
    from courses.sessions.models import CourseSession

    course_session_id, user_ids, unsafe = task
    app = _state["app"]
    safe_take = _state.setdefault("safe_take", seats.take)
    seats.take = take_unsafely if unsafe else safe_take
    outcomes: list[str] = []
    with app.app_context():
        course_session = db.session.get(CourseSession, course_session_id)
        course_session.course.provider  # noqa: B018  (loaded now, used below)
        users = list(db.session.scalars(sa.select(User).where(User.id.in_(user_ids))))
        db.session.commit()
        _state["barrier"].wait(timeout=120)
        for user in users:
            if unsafe:
                _state["counter"] = read_counter(course_session_id)
            try:
                booking = services.book(user, course_session)
                db.session.commit()
                outcomes.append(booking.status.value)
            except Exception as exc:  # noqa: BLE001  (every failure is a finding)
                db.session.rollback()
                outcomes.append(f"error {type(exc).__name__}: {exc}")
        db.session.remove()
    return outcomes


def make_people(n: int, team) -> list[int]:
    """Add `n` employees in one statement batch; returns their ids."""
    from core.db import db
    from core.people.models import Role, User, UserRole

    stamp = time.monotonic_ns()
    users = [
        User(email=f"c{stamp}-{i}@jobcenter.demo.dk", name=f"Deltager {i}", team=team)
        for i in range(n)
    ]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(UserRole(user_id=u.id, role=Role.employee) for u in users)
    db.session.commit()
    return [u.id for u in users]


FREE = Decimal("0")
