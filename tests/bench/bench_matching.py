""" "Forslag til dig" against the plain listing of open sessions, in the same run.

500 courses x 40 sessions (20,000) with 3 competence links per course; one
consultant with a full profile and a few bookings; a team of 40. Timed: the
suggestion engine for one person (loading, ranking and the first page's rows)
against the plain query that lists the open sessions with their course; the team
view against one person. Best of 3. SQLite, and PostgreSQL when configured.
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import EmployerKind, OrgUnit, UnitKind, User
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from learning.assessments.models import AssessmentRound, Rating
from learning.competences.models import Area, Competence, Profile, Requirement
from learning.matching import engine, presenting
from learning.matching.models import CourseCompetence
from learning.matching.ranking import shared_offers
from tests.bench.databases import on_each_database
from wsgi import create_app

COURSES = 500
SESSIONS_PER_COURSE = 40
LINKS = 3
COMPETENCES = 60
TEAM = 40
REPEATS = 3


def build(rng: random.Random) -> None:
    """Bulk-insert the organisation, the framework, ratings and the catalogue."""
    conn = db.session.connection()
    now = utcnow()
    conn.execute(
        sa.insert(OrgUnit),
        [
            {"id": 1, "kind": UnitKind.region, "name": "R"},
            {"id": 2, "kind": UnitKind.jobcentre, "name": "JC", "parent_id": 1},
            {"id": 3, "kind": UnitKind.team, "name": "Team", "parent_id": 2},
        ],
    )
    conn.execute(
        sa.insert(User),
        [
            {
                "id": p + 1,
                "email": f"p{p}@bench.dk",
                "name": f"Person {p}",
                "team_id": 3,
                "employer_kind": EmployerKind.municipal,
            }
            for p in range(TEAM)
        ],
    )
    conn.execute(
        sa.insert(Area),
        [{"id": a + 1, "code": f"A{a}", "title": f"Område {a}"} for a in range(6)],
    )
    conn.execute(
        sa.insert(Competence),
        [
            {
                "id": c + 1,
                "code": f"C{c:02d}",
                "title": f"Kompetence {c}",
                "kind": ("knowledge", "action", "attitude")[c % 3],
                "layer": "basic",
                "area_id": 1 + c % 6,
            }
            for c in range(COMPETENCES)
        ],
    )
    conn.execute(
        sa.insert(Profile), [{"id": 1, "key": "basic", "title": "B", "basic": True}]
    )
    conn.execute(
        sa.insert(Requirement),
        [
            {
                "profile_id": 1,
                "competence_id": c + 1,
                "target": rng.randint(2, 4),
                "priority": rng.randint(1, 3),
            }
            for c in range(COMPETENCES)
        ],
    )
    conn.execute(
        sa.insert(AssessmentRound),
        [
            {"id": p + 1, "person_id": p + 1, "source": "self", "rated_by_id": p + 1}
            | {"rated_at": now - timedelta(days=30)}
            for p in range(TEAM)
        ],
    )
    conn.execute(
        sa.insert(Rating),
        [
            {
                "round_id": p + 1,
                "person_id": p + 1,
                "competence_id": c + 1,
                "source": "self",
                "level": rng.randint(0, 4),
                "rated_at": now - timedelta(days=30),
            }
            for p in range(TEAM)
            for c in range(COMPETENCES)
        ],
    )
    _catalogue(conn, rng, now)


def _catalogue(conn, rng: random.Random, now) -> None:
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
            for c in range(COURSES)
        ],
    )
    conn.execute(
        sa.insert(CourseCompetence),
        [
            {"course_id": c + 1, "competence_id": comp + 1, "level": rng.randint(2, 4)}
            for c in range(COURSES)
            for comp in rng.sample(range(COMPETENCES), LINKS)
        ],
    )
    sessions, meetings = [], []
    for c in range(COURSES):
        for k in range(SESSIONS_PER_COURSE):
            sid = c * SESSIONS_PER_COURSE + k + 1
            start = now + timedelta(days=rng.randint(2, 365), hours=rng.randint(0, 9))
            sessions.append(
                {
                    "id": sid,
                    "course_id": c + 1,
                    "capacity": 20,
                    "seats_taken": rng.randint(0, 20),
                    "status": SessionStatus.open,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=6),
                    "booking_deadline": start - timedelta(days=rng.randint(-1, 14)),
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
    # Each person holds three confirmed seats: their meetings are busy time.
    conn.execute(
        sa.insert(Booking),
        [
            {
                "user_id": p + 1,
                "course_session_id": 1 + (p * 97 + k * 4001) % len(sessions),
                "status": BookingStatus.confirmed,
                "budget_year": now.year,
            }
            for p in range(TEAM)
            for k in range(3)
        ],
    )


def plain_listing() -> int:
    """The baseline: the open, upcoming sessions with their course."""
    rows = db.session.execute(
        sa.select(CourseSession, Course)
        .join(Course, Course.id == CourseSession.course_id)
        .where(
            CourseSession.status == SessionStatus.open,
            CourseSession.starts_at > utcnow(),
        )
    ).all()
    return len(rows)


def one_person(person: User) -> int:
    ranked, loaded = engine.suggestions_for([person])
    items = ranked[person.id]
    page = presenting.page_of(items, 1)
    presenting.rows_for(person, page.items, loaded.competences)
    return len(items)


def team(members: list[User]) -> int:
    ranked, loaded = engine.suggestions_for(members, ranked=False)
    shared = shared_offers(s for items in ranked.values() for s in items)
    page = presenting.page_of(shared, 1)
    presenting.team_rows(page.items, {m.id: m for m in members}, loaded.competences)
    return len(shared)


def best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        db.session.rollback()
        db.session.expunge_all()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(label: str, url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40})
    with app.test_request_context(), app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        build(random.Random(12))
        db.session.commit()
        print(
            f"{label}: built {COURSES} courses, {COURSES * SESSIONS_PER_COURSE:,} "
            f"sessions, {COURSES * LINKS:,} links, a team of {TEAM} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        members = list(db.session.scalars(sa.select(User).order_by(User.id)))
        person = members[0]
        plain_s, listed = best_of(plain_listing)
        one_s, suggested = best_of(lambda: one_person(db.session.get(User, 1)))
        team_s, served = best_of(
            lambda: team(list(db.session.scalars(sa.select(User).order_by(User.id))))
        )
        plain_again, _ = best_of(plain_listing)
        plain_s = min(plain_s, plain_again)
        print(f"{label}: plain listing   {plain_s:.3f} s  ({listed:,} open sessions)")
        print(f"{label}: one person      {one_s:.3f} s  ({suggested:,} suggestions)")
        print(f"{label}: team of {TEAM}      {team_s:.3f} s  ({served:,} shared)")
        print(f"{label}: ratio person/plain: {one_s / plain_s:.2f}x  (aim: at most 3x)")
        print(f"{label}: ratio team/person:  {team_s / one_s:.2f}x  (aim: at most 5x)")
        del person
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()
