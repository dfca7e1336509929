"""The workforce the gap and report benchmarks read (bench_gaps, bench_reports):
7,000 people in teams of 10, 60 competences (36 basic, 24 specific to five job
functions), each person's job function or two, and three rating rounds a person
(self, manager, agreed; 330, 180 and 30 days ago): 1.26 million ratings. Bulk
inserts with fixed ids, on SQLite and PostgreSQL; one builder for both benchmarks.
"""

import random
from datetime import UTC, datetime, time

import sqlalchemy as sa

from core.people.models import EmployerKind, OrgUnit, UnitKind, User
from learning.assessments.models import AssessmentRound, Rating
from learning.competences.models import (
    Area,
    Competence,
    Profile,
    Requirement,
    UserProfile,
)
from tests.dates import ahead

PEOPLE = 7_000
TEAM_SIZE = 10
COMPETENCES = 60
BASIC = 36
FUNCTIONS = 5
ROUND_DAYS = {"self": 330, "manager": 180, "agreed": 30}
FIRST_JOBCENTRE = 2  # the region is 1, its jobcentres follow, then the teams


def team_id(person: int, jobcentres: int) -> int:
    """The team of person number `person` (0-based; the user's id is person + 1)."""
    return FIRST_JOBCENTRE + jobcentres + person // TEAM_SIZE


def build(conn, rng: random.Random, *, jobcentres: int, unrated_every: int = 0):
    """One region of `jobcentres` jobcentres whose teams take turns among them,
    the framework, the job functions and the ratings; one person in
    `unrated_every` is not rated yet (0: everyone is)."""
    teams = PEOPLE // TEAM_SIZE
    # One insert per kind: an executemany takes its columns from the first row.
    conn.execute(sa.insert(OrgUnit), [{"id": 1, "kind": UnitKind.region, "name": "R"}])
    conn.execute(
        sa.insert(OrgUnit),
        [
            {
                "id": FIRST_JOBCENTRE + j,
                "kind": UnitKind.jobcentre,
                "name": f"JC {j}",
                "parent_id": 1,
            }
            for j in range(jobcentres)
        ],
    )
    conn.execute(
        sa.insert(OrgUnit),
        [
            {
                "id": FIRST_JOBCENTRE + jobcentres + t,
                "kind": UnitKind.team,
                "name": f"Team {t}",
                "parent_id": FIRST_JOBCENTRE + t % jobcentres,
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
                "team_id": team_id(p, jobcentres),
                "employer_kind": (
                    EmployerKind.state if p % 7 == 0 else EmployerKind.municipal
                ),
            }
            for p in range(PEOPLE)
        ],
    )
    _framework(conn, rng)
    _ratings(conn, rng, unrated_every)


def _framework(conn, rng: random.Random) -> None:
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
                "layer": "basic" if c < BASIC else "specific",
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
        for c in range(BASIC)
    ]
    for f in range(1, FUNCTIONS + 1):
        for c in range(BASIC, COMPETENCES):
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


def _ratings(conn, rng: random.Random, unrated_every: int) -> None:
    at = {
        source: datetime.combine(ahead(-days), time(8), tzinfo=UTC)
        for source, days in ROUND_DAYS.items()
    }
    rounds = [
        {
            "id": r * PEOPLE + p + 1,
            "person_id": p + 1,
            "source": source,
            "rated_by_id": p + 1,
            "rated_at": at[source],
        }
        for r, source in enumerate(ROUND_DAYS)
        for p in range(PEOPLE)
        if not unrated_every or p % unrated_every
    ]
    conn.execute(sa.insert(AssessmentRound), rounds)
    if conn.dialect.name == "sqlite":
        # The driver's executemany: 1.26M rows go in within seconds, not minutes.
        stamp = {s: m.strftime("%Y-%m-%d %H:%M:%S.%f") for s, m in at.items()}
        conn.exec_driver_sql(
            "INSERT INTO ratings (round_id, person_id, competence_id, source, level, "
            "comment, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (r["id"], r["person_id"], c + 1, r["source"], rng.randint(0, 4), "")
                + (stamp[r["source"]],)
                for r in rounds
                for c in range(COMPETENCES)
            ],
        )
        return
    ratings = [
        {
            "round_id": r["id"],
            "person_id": r["person_id"],
            "competence_id": c + 1,
            "source": r["source"],
            "level": rng.randint(0, 4),
            "comment": "",
            "rated_at": r["rated_at"],
        }
        for r in rounds
        for c in range(COMPETENCES)
    ]
    for start in range(0, len(ratings), 100_000):
        conn.execute(sa.insert(Rating), ratings[start : start + 100_000])
