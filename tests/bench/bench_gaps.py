"""Gap computation for the whole workforce against just reading its rows.

7,000 people x 60 competences x 3 rating rounds (1.26 million ratings) in a SQLite
file; the gap engine the pages use (learning.assessments.services.gaps_for) is timed
against reading the same rows with the same queries in the same run. Best of 3.
"""

import random
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from learning.assessments import services
from learning.assessments.models import AssessmentRound, Rating
from learning.competences import services as framework
from learning.competences.models import (
    Area,
    Competence,
    Profile,
    Requirement,
    UserProfile,
)
from tests.dates import ahead
from wsgi import create_app

PEOPLE = 7_000
COMPETENCES = 60
ROUNDS = 3
TEAM_SIZE = 10
FUNCTIONS = 5
# Three rounds in the past year, as the demo has them.
ROUND_DAYS = [
    datetime.combine(ahead(-days), clock_time(8), tzinfo=UTC) for days in (330, 180, 30)
]
REPEATS = 3


def build(rng: random.Random) -> None:
    """Bulk-insert the organisation, the framework, links and 1.26M ratings."""
    conn = db.session.connection()
    conn.execute(sa.insert(OrgUnit), [{"id": 1, "kind": UnitKind.region, "name": "R"}])
    jobcentres = PEOPLE // TEAM_SIZE // 10
    conn.execute(
        sa.insert(OrgUnit),
        [
            {"id": 2 + j, "kind": UnitKind.jobcentre, "name": f"JC {j}", "parent_id": 1}
            for j in range(jobcentres)
        ],
    )
    teams = PEOPLE // TEAM_SIZE
    first_team = 2 + jobcentres
    conn.execute(
        sa.insert(OrgUnit),
        [
            {
                "id": first_team + t,
                "kind": UnitKind.team,
                "name": f"Team {t}",
                "parent_id": 2 + t % jobcentres,
            }
            for t in range(teams)
        ],
    )
    conn.execute(
        sa.insert(User),
        [
            {
                "id": p + 1,
                "email": f"p{p}@bench.dk",
                "name": f"Person {p}",
                "team_id": first_team + p // TEAM_SIZE,
            }
            for p in range(PEOPLE)
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
                "layer": "basic" if c < 36 else "specific",
                "area_id": 1 + c % 6,
            }
            for c in range(COMPETENCES)
        ],
    )
    conn.execute(
        sa.insert(Profile),
        [
            {"id": f + 1, "key": f"p{f}", "title": f"Profil {f}", "basic": f == 0}
            for f in range(FUNCTIONS + 1)
        ],
    )
    requirements = [
        {
            "profile_id": 1,
            "competence_id": c + 1,
            "target": rng.randint(1, 4),
            "priority": rng.randint(1, 3),
        }
        for c in range(36)
    ]
    for f in range(1, FUNCTIONS + 1):
        for c in range(36, COMPETENCES):
            if rng.random() < 0.6:
                requirements.append(
                    {
                        "profile_id": f + 1,
                        "competence_id": c + 1,
                        "target": rng.randint(2, 4),
                        "priority": rng.randint(1, 3),
                    }
                )
    conn.execute(sa.insert(Requirement), requirements)
    conn.execute(
        sa.insert(UserProfile),
        [
            {"user_id": p + 1, "profile_id": 2 + (p + k) % FUNCTIONS}
            for p in range(PEOPLE)
            for k in range(1 + p % 2)
        ],
    )
    _ratings(conn, rng)


def _ratings(conn, rng: random.Random) -> None:
    sources = ("self", "manager", "agreed")
    rounds = []
    for r in range(ROUNDS):
        for p in range(PEOPLE):
            rounds.append((r * PEOPLE + p + 1, p + 1, sources[r], p + 1, ROUND_DAYS[r]))
    conn.execute(
        sa.insert(AssessmentRound),
        [
            {"id": i, "person_id": pid, "source": s, "rated_by_id": by, "rated_at": at}
            for i, pid, s, by, at in rounds
        ],
    )
    # The driver's executemany: 1.26M rows go in within seconds, not minutes.
    stamp = {r: ROUND_DAYS[r].strftime("%Y-%m-%d %H:%M:%S.%f") for r in range(ROUNDS)}
    rows = [
        (
            round_id,
            pid,
            c + 1,
            source,
            rng.randint(0, 4),
            "",
            stamp[(round_id - 1) // PEOPLE],
        )
        for round_id, pid, source, _by, _at in rounds
        for c in range(COMPETENCES)
    ]
    conn.exec_driver_sql(
        "INSERT INTO ratings (round_id, person_id, competence_id, source, level, "
        "comment, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def read_rows() -> int:
    """The baseline: the same queries gaps_for runs, rows fetched, nothing computed."""
    people = db.session.scalars(sa.select(User.id).where(User.active.is_(True))).all()
    links = db.session.execute(
        sa.select(UserProfile.user_id, UserProfile.profile_id)
    ).all()
    basic = framework.basic_profile_ids()
    requirements = db.session.execute(
        sa.select(
            Requirement.profile_id,
            Requirement.competence_id,
            Requirement.target,
            Requirement.priority,
            Competence.layer,
        )
        .join(Competence)
        .where(Competence.retired.is_(False))
    ).all()
    ratings = db.session.execute(services.rating_rows_stmt(None)).all()
    return len(people) + len(links) + len(basic) + len(requirements) + len(ratings)


def read_raw() -> int:
    """A second reference: every column of every rating, straight from the driver."""
    cursor = db.session.connection().exec_driver_sql("SELECT * FROM ratings")
    return len(cursor.fetchall())


def best_of(fn, repeats: int = REPEATS) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        db.session.rollback()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench_gaps.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            build(random.Random(7000))
            db.session.commit()
            built = time.perf_counter() - started
            ratings = db.session.scalar(sa.select(sa.func.count(Rating.id)))
            print(
                f"built {PEOPLE:,} people, {COMPETENCES} competences, "
                f"{ratings:,} ratings in {built:.1f} s"
            )
            read_s, rows = best_of(read_rows)
            raw_s, raw_rows = best_of(read_raw)
            gaps_s, gaps = best_of(lambda: services.gaps_for(None))
            read_again, _ = best_of(read_rows)
            read_s = min(read_s, read_again)
            with_gaps = sum(1 for g in gaps.values() if g.total)
            print(f"read rows:       {read_s:.3f} s  ({rows:,} rows, same queries)")
            print(
                f"read raw table:  {raw_s:.3f} s  ({raw_rows:,} ratings, all columns)"
            )
            print(
                f"gap computation: {gaps_s:.3f} s  ({len(gaps):,} people, "
                f"{with_gaps:,} with gaps)"
            )
            print(f"ratio gap/read:  {gaps_s / read_s:.2f}x  (aim: at most 2x)")
            print(f"ratio gap/raw:   {gaps_s / raw_s:.2f}x")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
