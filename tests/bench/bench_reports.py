"""The jobcentre's demand report against just reading the rows it needs.

One jobcentre of 7,000 people in 700 teams, 60 competences (36 basic, 24
specific for five job functions), three rating rounds a person (1.26 million
ratings), 150 courses with 4 open sessions each linked to 3 competences, three
confirmed seats a person (their busy time) and declared interest. Timed: the
report as the page builds it (report(): learning.reports.demand.demand_for's
gaps and the matching engine's sessions, then report_tables.demand_tables with
the interest) against replaying the very SQL it ran, rows fetched by the driver
and nothing computed. Best of 3, the two taken in turn. SQLite, and PostgreSQL when
BENCH_DATABASE_URL (or TEST_DATABASE_URL) says.
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import OrgUnit
from courses.bookings.models import Booking, BookingStatus, CourseInterest
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from learning.assessments.overview import jobcentre_members
from learning.matching.models import CourseCompetence
from learning.reports import demand, report_tables
from tests.bench import workforce
from tests.bench.databases import on_each_database
from tests.bench.workforce import COMPETENCES, PEOPLE
from wsgi import create_app

COURSES = 150
SESSIONS_PER_COURSE = 4
LINKS = 3
REPEATS = 3
JOBCENTRE_ID = workforce.FIRST_JOBCENTRE


def build(rng: random.Random) -> None:
    """The workforce (workforce.py: one jobcentre, one person in twenty not
    rated yet) and the catalogue."""
    conn = db.session.connection()
    workforce.build(conn, rng, jobcentres=1, unrated_every=20)
    _catalogue(conn, rng)


def _catalogue(conn, rng: random.Random) -> None:
    now = utcnow()
    conn.execute(
        sa.insert(Provider), [{"id": 1, "key": "b", "name": "Udbyder", "kind": "cok"}]
    )
    conn.execute(
        sa.insert(Course),
        [
            {
                "id": c + 1,
                "provider_id": 1,
                "title": f"Kursus {c}",
                "audience": ("both", "both", "state", "municipal")[c % 4],
                "price_state": Decimal(rng.choice((0, 1500, 4500))),
                "price_municipal": Decimal(rng.choice((0, 1500, 4500))),
            }
            for c in range(COURSES + 20)  # the last 20 have no session: interest
        ],
    )
    conn.execute(
        sa.insert(CourseCompetence),
        [
            {"course_id": c + 1, "competence_id": comp + 1, "level": rng.randint(2, 4)}
            for c in range(COURSES + 20)
            for comp in rng.sample(range(COMPETENCES), LINKS)
        ],
    )
    sessions, meetings = [], []
    for c in range(COURSES):
        for k in range(SESSIONS_PER_COURSE):
            sid = c * SESSIONS_PER_COURSE + k + 1
            start = now + timedelta(days=rng.randint(10, 365), hours=rng.randint(0, 9))
            sessions.append(
                {
                    "id": sid,
                    "course_id": c + 1,
                    "capacity": 20,
                    "seats_taken": rng.randint(0, 20),
                    "status": SessionStatus.open,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=6),
                    "booking_deadline": start - timedelta(days=rng.randint(1, 7)),
                    "location": f"By {sid % 12}",
                    "calendar_uid": f"bench-{sid}",
                }
            )
            meetings.append(
                {
                    "course_session_id": sid,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=6),
                }
            )
    conn.execute(sa.insert(CourseSession), sessions)
    conn.execute(sa.insert(Meeting), meetings)
    conn.execute(
        sa.insert(Booking),
        [
            {
                "user_id": p + 1,
                "course_session_id": 1 + (p * 97 + k * 211) % len(sessions),
                "status": BookingStatus.confirmed,
                "team_id": workforce.team_id(p, 1),
                "budget_year": now.year,
            }
            for p in range(PEOPLE)
            for k in range(3)
        ],
    )
    conn.execute(
        sa.insert(CourseInterest),
        [
            {
                "user_id": p + 1,
                "course_id": COURSES + 1 + p % 20,
                "jobcentre_id": JOBCENTRE_ID,
            }
            for p in range(0, PEOPLE, 3)
        ],
    )


def report() -> int:
    """What the demand page computes: the gaps, the sessions that close them,
    the interest, and the tables the page, the CSV and the workbook read."""
    jobcentre = db.session.get(OrgUnit, JOBCENTRE_ID)
    found = demand.demand_for(jobcentre_members(jobcentre))
    tables = report_tables.demand_tables(found, lambda _cid: None, jobcentre)
    return sum(len(t.rows) for t in tables)


class Recorder:
    """The statements (and their parameters) the report sends to the driver."""

    def __init__(self):
        self.statements: list[tuple[str, object]] = []

    def __call__(self, _conn, _cursor, statement, parameters, _context, many):
        if not many and statement.lstrip()[:6].upper() in ("SELECT", "WITH ("):
            self.statements.append((statement, parameters))


def replay(statements) -> int:
    """The baseline: the very SQL the report ran, rows fetched, nothing computed."""
    conn = db.session.connection()
    rows = 0
    for statement, parameters in statements:
        rows += len(conn.exec_driver_sql(statement, parameters).fetchall())
    return rows


def _timed(fn) -> tuple[float, object]:
    db.session.rollback()
    db.session.expunge_all()
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def best_of(*fns) -> list[tuple[float, object]]:
    """The best time of each function over REPEATS rounds, taken in turn, so a
    burst of load from the machine's other work falls on both alike."""
    best = [(float("inf"), None)] * len(fns)
    for _ in range(REPEATS):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], _timed(fn), key=lambda pair: pair[0])
    return best


def run(label: str, url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40})
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        build(random.Random(14))
        db.session.commit()
        print(
            f"{label}: built {PEOPLE:,} people in {time.perf_counter() - started:.0f} s"
        )
        recorder = Recorder()
        sa.event.listen(db.engine, "before_cursor_execute", recorder)
        try:
            rows = report()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", recorder)
        statements = recorder.statements
        (read_s, fetched), (report_s, _rows) = best_of(
            lambda: replay(statements), report
        )
        print(
            f"{label}: read the rows   {read_s:.3f} s  ({len(statements)} queries, "
            f"{fetched:,} rows)"
        )
        print(f"{label}: demand report   {report_s:.3f} s  ({rows:,} table rows)")
        print(f"{label}: ratio report/read {report_s / read_s:.2f}x  (aim: at most 2x)")
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()
