"""Confirmed plus offered seats never exceed capacity: 8 processes x 25 attempts
against a 10-seat session, on the configured engine; and the same with the
protection switched off must overbook, so the test is shown to catch it."""

import multiprocessing
from datetime import timedelta
from itertools import count

import pytest
import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import UnitKind
from courses.bookings.models import SEAT_STATUSES, Booking, BookingStatus
from courses.sessions.models import CourseSession
from tests.courses.bookings import concurrency, factories

PROCESSES = 8
ATTEMPTS = 25
CAPACITY = 10
ROUNDS = 3
_days = count(0, 2)


@pytest.fixture(scope="module")
def pool(app, database_url):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    with context.Pool(
        PROCESSES,
        initializer=concurrency.init_worker,
        initargs=(database_url, barrier),
    ) as workers:
        yield workers


def _round(pool, people: list[int], *, unsafe: bool) -> tuple[list[str], int, int]:
    # Each round on its own day: the same people must not clash with the last round.
    start = utcnow().replace(microsecond=0) + timedelta(days=30 + next(_days))
    cs = factories.make_session(capacity=CAPACITY, start=start)
    chunks = [people[i::PROCESSES] for i in range(PROCESSES)]
    results = pool.map(
        concurrency.book_many, [(cs.id, chunk, unsafe) for chunk in chunks], chunksize=1
    )
    db.session.expire_all()
    seat_holders = db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.course_session_id == cs.id, Booking.status.in_(SEAT_STATUSES)
        )
    )
    taken = db.session.get(CourseSession, cs.id).seats_taken
    return [o for chunk in results for o in chunk], seat_holders, taken


@pytest.fixture
def people(create_unit):
    return concurrency.make_people(PROCESSES * ATTEMPTS, create_unit(UnitKind.team))


@pytest.mark.slow
def test_exactly_capacity_is_confirmed_under_concurrency(pool, people):
    for _ in range(ROUNDS):
        outcomes, confirmed, taken = _round(pool, people, unsafe=False)
        assert [o for o in outcomes if o.startswith("error")] == []
        assert outcomes.count(BookingStatus.confirmed.value) == CAPACITY
        assert outcomes.count(BookingStatus.waitlisted.value) == len(people) - CAPACITY
        assert confirmed == taken == CAPACITY


@pytest.mark.slow
def test_without_the_protection_the_same_load_overbooks(pool, people):
    overbooked = []
    for _ in range(ROUNDS + 2):
        outcomes, confirmed, _taken = _round(pool, people, unsafe=True)
        overbooked.append(confirmed - CAPACITY)
        if confirmed > CAPACITY:
            break
    print(f"overbooked by {overbooked} in unsafe mode")
    assert max(overbooked) > 0, f"never overbooked: {overbooked}"


@pytest.mark.slow
def test_simultaneous_double_clicks_make_one_booking_each(pool, create_unit):
    # Every process books the same few people at once: a double-click, eightfold.
    people = concurrency.make_people(3, create_unit(UnitKind.team))
    start = utcnow().replace(microsecond=0) + timedelta(days=80)
    cs = factories.make_session(capacity=2, start=start)
    results = pool.map(
        concurrency.book_many,
        [(cs.id, people, False) for _ in range(PROCESSES)],
        chunksize=1,
    )
    outcomes = [o for chunk in results for o in chunk]
    assert [o for o in outcomes if o.startswith("error")] == []
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Booking.user_id, Booking.status).where(
            Booking.course_session_id == cs.id
        )
    ).all()
    assert sorted(user_id for user_id, _ in rows) == sorted(people)
    statuses = sorted(status.value for _, status in rows)
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert db.session.get(CourseSession, cs.id).seats_taken == 2
