"""Forslag til dig against the plain listing of open sessions, in the same run.

The national dataset (tests/bench/national.py: 500 courses with 20,000 sessions
linked to competences, 7,000 people rated three times, with their bookings).
Timed: Forslag til dig for one person of a team (learning/matching/
person_page.py: the first page's suggestions and rows) against the plain query
that lists the open sessions with their course; the team view for a team of 40
(issue 12's goal: the person's team, filled up from the sibling teams of the
same jobcentre, since the national dataset's teams are smaller: the team
page's work, learning/matching/team_page.py, and the first page's rows) against
the same work for one person: how the team page's cost grows with people, not
the cost of the person's page, which runs other code. Best of 3. SQLite, and
PostgreSQL when configured.
"""

import time

import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import OrgUnit, User
from courses.bookings.models import Booking
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus
from learning.matching import person_page, presenting, team_page
from tests.bench import goals, national
from tests.bench.serving import SECRET
from wsgi import create_app

REPEATS = 3
TEAM_SIZE = 40
PERSON_GOAL, TEAM_GOAL = 3.0, 5.0


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


def person_page_first(person: User) -> int:
    found = person_page.suggestion_page(person)
    presenting.rows_for(
        person, found.items, found.competences, (found.sessions, found.queues)
    )
    return found.total


def one_person(person: User) -> int:
    """The team page's own work (learning/matching/team_page.py) for one person:
    the baseline of the team's, so the ratio says how it grows with people."""
    return team([person])


def team(members: list[User]) -> int:
    found = team_page.shared_page(members)
    presenting.team_rows(
        found.page.items, {m.id: m for m in members}, found.competences
    )
    return found.page.total


def best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        db.session.rollback()
        db.session.expunge_all()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _person() -> User:
    """The first person with bookings (busy time) in a team of several."""
    return db.session.scalars(
        sa.select(User)
        .join(Booking, Booking.user_id == User.id)
        .where(User.team_id.is_not(None))
        .order_by(User.id)
    ).first()


def _team(person: User) -> list[User]:
    """TEAM_SIZE people: the person's team first, then the sibling teams'."""
    siblings = sa.select(OrgUnit.id).where(OrgUnit.parent_id == person.team.parent_id)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.team_id.in_(siblings))
            .order_by(User.team_id != person.team_id, User.id)
            .limit(TEAM_SIZE)
        )
    )


def run(label: str, url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.test_request_context(), app.app_context():
        person_id = _person().id
        size = len(_team(db.session.get(User, person_id)))
        plain_s, listed = best_of(plain_listing)
        page_s, suggested = best_of(
            lambda: person_page_first(db.session.get(User, person_id))
        )
        one_s, _ = best_of(lambda: one_person(db.session.get(User, person_id)))
        team_s, served = best_of(lambda: team(_team(db.session.get(User, person_id))))
        plain_again, _ = best_of(plain_listing)
        plain_s = min(plain_s, plain_again)
        person_ratio, team_ratio = page_s / plain_s, team_s / one_s
        print(f"{label}: plain listing   {plain_s:.3f} s  ({listed:,} open sessions)")
        print(f"{label}: Forslag til dig {page_s:.3f} s  ({suggested:,} suggestions)")
        print(f"{label}: one person      {one_s:.3f} s  (the team page's code)")
        print(f"{label}: team of {size:<8} {team_s:.3f} s  ({served:,} shared)")
        print(
            f"{label}: ratio person/plain: {person_ratio:.2f}x  "
            f"(aim: at most {PERSON_GOAL:g}x)"
        )
        print(
            f"{label}: ratio team/person:  {team_ratio:.2f}x  "
            f"(aim: at most {TEAM_GOAL:g}x)"
        )
        goals.record(
            f"Forslag til dig: at most {PERSON_GOAL:g}x the plain listing",
            label,
            f"{person_ratio:.2f}x",
            person_ratio <= PERSON_GOAL,
        )
        goals.record(
            f"suggestions, team of {size}: at most {TEAM_GOAL:g}x one person",
            label,
            f"{team_ratio:.2f}x",
            team_ratio <= TEAM_GOAL,
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    national.on_each_database(run)


if __name__ == "__main__":
    main()
