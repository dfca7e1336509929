"""Worker processes for the concurrency tests: each books seats for many people
through the real service, in its own process with its own connections."""

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


def book_many(task: tuple[int, list[int], bool]) -> list[str]:
    """Book the session for each user in turn; returns each outcome, never raises."""
    from core.db import db
    from core.people.models import User
    from courses.bookings import services
    from courses.bookings.seats import UNSAFE_SETTING
    from courses.sessions.models import CourseSession

    course_session_id, user_ids, unsafe = task
    app = _state["app"]
    app.config[UNSAFE_SETTING] = unsafe
    outcomes: list[str] = []
    with app.app_context():
        course_session = db.session.get(CourseSession, course_session_id)
        course_session.course.provider  # noqa: B018  (loaded now, used below)
        users = list(db.session.scalars(sa.select(User).where(User.id.in_(user_ids))))
        db.session.commit()
        _state["barrier"].wait(timeout=120)
        for user in users:
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
