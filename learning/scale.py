"""`flask seed-scale`: a deterministic national dataset for measuring the product
at the size it is built for (issue 19): 4 employment regions, 98 jobcentres,
7,000 staff with managers, deputies and coordinators, the full competence
framework of the demo (seeds 003) with job-function profiles, three rating
rounds each (self, manager, agreed), 500 courses from 20 providers linked to
competences, 20,000 sessions with meetings over two years around today, 100,000
bookings in every state and 7,000 development plans.

Bulk inserts (one statement per table and chunk), not the services: minutes, not
hours, on SQLite and PostgreSQL. The rows keep the invariants the services keep
(a session's seats taken are its bookings that hold a seat, never above its
capacity; one active booking per person and session; waiting-list numbers
unique per session; one plan per person and period). Clashes between a person's
bookings are not avoided: the data is for load, not for a person to read.

`--scale 0.02` makes a proportionally smaller set (the test uses it). The
database must be empty of people (a new database after `flask db upgrade`).
"""

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from core import clock
from core.bulk import copy_rows
from core.db import db
from core.people.models import EmployerKind, OrgUnit, Role, UnitKind, User, UserRole
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.competences.demo import load_demo_framework, seed_framework
from learning.competences.models import Requirement, UserProfile
from learning.matching.models import CourseCompetence
from learning.plans.models import Plan, PlanKind, PlanStatus
from learning.plans.services import period_containing

SIZES = {
    "jobcentres": 98,
    "people": 7_000,
    "providers": 20,
    "courses": 500,
    "sessions": 20_000,
    "bookings": 100_000,
}
REGIONS = (
    "Beskæftigelsesregion Hovedstaden og Sjælland",
    "Beskæftigelsesregion Syddanmark",
    "Beskæftigelsesregion Midtjylland",
    "Beskæftigelsesregion Nordjylland",
)
TEAM_SIZE = 10
CHUNK = 20_000
ROUND_DAYS = {
    RatingSource.self: 330,
    RatingSource.manager: 180,
    RatingSource.agreed: 45,
}
PRICES = (0, 0, 1_500, 2_500, 4_500, 7_500, 12_000)
# Bookings of sessions that are over, and of those to come, in these shares.
PAST = (
    (BookingStatus.completed, 6),
    (BookingStatus.attended, 1),
    (BookingStatus.no_show, 1),
    (BookingStatus.cancelled, 1),
    (BookingStatus.late_cancelled, 1),
)
FUTURE = (
    (BookingStatus.confirmed, 8),
    (BookingStatus.requested, 3),
    (BookingStatus.waitlisted, 2),
    (BookingStatus.offered, 1),
    (BookingStatus.rejected, 1),
    (BookingStatus.cancelled, 1),
)
SEATED = {
    BookingStatus.completed,
    BookingStatus.attended,
    BookingStatus.no_show,
    BookingStatus.confirmed,
    BookingStatus.offered,
}


class ScaleError(click.ClickException):
    pass


def _sized(scale: float) -> dict[str, int]:
    return {key: max(1, round(n * scale)) for key, n in SIZES.items()}


def _insert(model, rows: list[dict]) -> None:
    if rows and db.engine.dialect.name == "postgresql":
        # Profile of seed-scale on PostgreSQL (~180 s): nearly all of it in the
        # executemany INSERTs of the ratings and bookings; COPY streams the rows.
        copy_rows(model.__table__, rows)
        return
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model), rows[start : start + CHUNK])


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _continue_ids() -> None:
    """Move PostgreSQL's id sequences past the ids inserted here (a sequence does
    not see rows given their ids), so the product can add rows afterwards: the
    first person or booking made after seed-scale failed on a duplicate key."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not isinstance(column.type, sa.Integer):
            continue
        db.session.execute(
            sa.select(
                sa.func.setval(
                    sa.func.pg_get_serial_sequence(f'"{table.name}"', "id"),
                    sa.select(
                        sa.func.coalesce(sa.func.max(column), 0) + 1
                    ).scalar_subquery(),
                    False,
                )
            )
        )


def _weighted(rng: random.Random, shares) -> BookingStatus:
    states, weights = zip(*shares, strict=True)
    return rng.choices(states, weights)[0]


def _organisation(rng: random.Random, sizes: dict) -> dict:
    """Regions, jobcentres, teams, people, roles, and each team's manager and
    deputy. Returns the people as (id, team id, jobcentre id, employer kind)."""
    unit_id = _next_id(OrgUnit)
    regions = []
    for name in REGIONS:
        regions.append(unit_id)
        _insert(OrgUnit, [{"id": unit_id, "kind": UnitKind.region, "name": name}])
        unit_id += 1
    jobcentres = [unit_id + j for j in range(sizes["jobcentres"])]
    _insert(
        OrgUnit,
        [
            {
                "id": jc,
                "kind": UnitKind.jobcentre,
                "name": f"Jobcenter {j + 1:03d}",
                "parent_id": regions[j % len(regions)],
            }
            for j, jc in enumerate(jobcentres)
        ],
    )
    unit_id += len(jobcentres)
    per_jobcentre = max(2, sizes["people"] // len(jobcentres))
    teams_per = max(1, per_jobcentre // TEAM_SIZE)
    teams = []
    for jc in jobcentres:
        for t in range(teams_per):
            teams.append(
                {
                    "id": unit_id,
                    "kind": UnitKind.team,
                    "name": f"Team {t + 1}",
                    "parent_id": jc,
                }
            )
            unit_id += 1
    _insert(OrgUnit, teams)
    user_id = _next_id(User)
    people, roles, leads = [], [], []
    for n in range(sizes["people"]):
        team = teams[n % len(teams)]
        first = n < len(teams)  # the first person of each team leads it
        second = len(teams) <= n < 2 * len(teams)  # the second deputises
        kind = EmployerKind.state if rng.random() < 0.06 else EmployerKind.municipal
        people.append(
            {
                "id": user_id,
                "email": f"person{n + 1:05d}@skala.demo.dk",
                "name": f"Person {n + 1:05d}",
                "team_id": team["id"],
                "employer_kind": kind,
            }
        )
        roles.append({"user_id": user_id, "role": Role.employee})
        if first or second:
            roles.append({"user_id": user_id, "role": Role.manager})
            leads.append((team["id"], "manager_id" if first else "deputy_id", user_id))
        if first and team["name"] == "Team 1":
            roles.append({"user_id": user_id, "role": Role.coordinator})
        user_id += 1
    _insert(User, people)
    _insert(UserRole, roles)
    for column in ("manager_id", "deputy_id"):
        updates = [{"unit": t, "person": p} for t, c, p in leads if c == column]
        if updates:
            db.session.execute(
                sa.update(OrgUnit.__table__)
                .where(OrgUnit.__table__.c.id == sa.bindparam("unit"))
                .values({column: sa.bindparam("person")}),
                updates,
            )
    parent = {t["id"]: t["parent_id"] for t in teams}
    return {
        "people": [
            (p["id"], p["team_id"], parent[p["team_id"]], p["employer_kind"])
            for p in people
        ],
        "jobcentres": jobcentres,
        "managers": _managers(people, leads),
    }


def _managers(people: list[dict], leads: list[tuple]) -> dict[int, int]:
    """Who rates each person as their manager (the product's can_manager_assess):
    the team's manager, and for the manager the deputy, deputising (no one
    rates themself as manager)."""
    led = {(team, column): person for team, column, person in leads}
    managers = {}
    for p in people:
        manager = led[(p["team_id"], "manager_id")]
        if manager == p["id"]:
            manager = led[(p["team_id"], "deputy_id")]
        managers[p["id"]] = manager
    return managers


def _framework(rng: random.Random, people: list) -> dict[int, dict[int, int]]:
    """The demo framework; each person a job-function profile beside the basic
    one. Returns person -> competence -> target."""
    data = load_demo_framework()
    if data is None:
        raise ScaleError("the demo framework's file is missing")
    profiles = seed_framework(data)
    db.session.flush()
    functions = [p for p in profiles.values() if not p.basic]
    basic = [p for p in profiles.values() if p.basic]
    targets: dict[int, dict[int, int]] = {}
    for profile in profiles.values():
        targets[profile.id] = dict(
            db.session.execute(
                sa.select(Requirement.competence_id, Requirement.target).where(
                    Requirement.profile_id == profile.id
                )
            ).all()
        )
    links, result = [], {}
    for person_id, *_rest in people:
        chosen = rng.choice(functions) if functions else None
        mine = {}
        for profile in basic + ([chosen] if chosen else []):
            mine.update(targets[profile.id])
        if chosen is not None:
            links.append({"user_id": person_id, "profile_id": chosen.id})
        result[person_id] = mine
    _insert(UserProfile, links)
    return result


def _ratings(
    rng: random.Random,
    needs: dict[int, dict[int, int]],
    managers: dict[int, int],
    now: datetime,
) -> int:
    """Three rounds a person, as the rating services record them: the person's
    own, their manager's (rated by the manager), and the level the two agreed
    in the development talk (recorded by the manager, between the person's own
    level and the manager's)."""
    round_id = _next_id(AssessmentRound)
    rounds, ratings = [], []
    for person_id, targets in needs.items():
        levels = {RatingSource.self: {}, RatingSource.manager: {}}
        for competence_id, target in targets.items():
            for seen in levels.values():
                shift = rng.choice((-1, 0, 0, 1, 1, 2))
                seen[competence_id] = max(0, min(4, target - shift))
        manager = levels[RatingSource.manager]
        levels[RatingSource.agreed] = {
            c: rng.randint(*sorted((own, manager[c])))
            for c, own in levels[RatingSource.self].items()
        }
        for source, days in ROUND_DAYS.items():
            at = now - timedelta(days=days, minutes=rng.randint(0, 600))
            rater = person_id if source is RatingSource.self else managers[person_id]
            rounds.append(
                {
                    "id": round_id,
                    "person_id": person_id,
                    "source": source,
                    "rated_by_id": rater,
                    "rated_at": at,
                }
            )
            ratings.extend(
                {
                    "round_id": round_id,
                    "person_id": person_id,
                    "competence_id": competence_id,
                    "source": source,
                    "level": level,
                    "rated_at": at,
                }
                for competence_id, level in levels[source].items()
            )
            round_id += 1
    _insert(AssessmentRound, rounds)
    _insert(Rating, ratings)
    return len(ratings)


def _catalogue(
    rng: random.Random, sizes: dict, competence_ids: list[int]
) -> list[dict]:
    provider_id = _next_id(Provider)
    providers = [provider_id + p for p in range(sizes["providers"])]
    _insert(
        Provider,
        [
            {
                "id": pid,
                "key": f"skala-{p + 1}",
                "name": f"Udbyder {p + 1}",
                "kind": ProviderKind.cok,
            }
            for p, pid in enumerate(providers)
        ],
    )
    course_id = _next_id(Course)
    courses = []
    for c in range(sizes["courses"]):
        price = Decimal(rng.choice(PRICES))
        courses.append(
            {
                "id": course_id + c,
                "provider_id": providers[c % len(providers)],
                "title": f"Kursus {c + 1:03d}",
                "price_state": price,
                "price_municipal": price,
            }
        )
    _insert(Course, courses)
    _insert(
        CourseCompetence,
        [
            {
                "course_id": course["id"],
                "competence_id": competence_id,
                "level": rng.randint(2, 4),
            }
            for course in courses
            for competence_id in rng.sample(competence_ids, min(3, len(competence_ids)))
        ],
    )
    return courses


def _sessions(
    rng: random.Random, sizes: dict, courses: list[dict], today
) -> list[dict]:
    """Sessions spread from a year ago to a year ahead, on working days."""
    session_id = _next_id(CourseSession)
    sessions, meetings = [], []
    for s in range(sizes["sessions"]):
        course = courses[s % len(courses)]
        day = today + timedelta(days=rng.randint(-365, 365))
        while day.weekday() > 4:
            day += timedelta(days=1)
        days = rng.choice((1, 1, 2, 3))
        start = datetime.combine(day, time(8), tzinfo=UTC)
        end = start + timedelta(days=days - 1, hours=7)
        sessions.append(
            {
                "id": session_id,
                "course_id": course["id"],
                "capacity": rng.randint(12, 30),
                "starts_at": start,
                "ends_at": end,
                "booking_deadline": start - timedelta(days=7),
                "location": f"Kursussted {session_id % 40}",
                "calendar_uid": f"skala-{session_id}",
                "price": course["price_municipal"],
            }
        )
        for d in range(days):
            begins = start + timedelta(days=d)
            meetings.append(
                {
                    "course_session_id": session_id,
                    "starts_at": begins,
                    "ends_at": begins + timedelta(hours=7),
                }
            )
        session_id += 1
    return sessions, meetings


def _bookings(
    rng: random.Random, sizes: dict, people: list, sessions: list[dict], now: datetime
) -> list[dict]:
    """Bookings in every state; seats taken and queue numbers follow from them."""
    bookings, taken, queued, seen = [], {}, {}, set()
    tries = 0
    while len(bookings) < sizes["bookings"] and tries < sizes["bookings"] * 5:
        tries += 1
        person_id, team_id, _jc, kind = rng.choice(people)
        session = rng.choice(sessions)
        if (person_id, session["id"]) in seen:
            continue
        past = session["starts_at"] < now
        status = _weighted(rng, PAST if past else FUTURE)
        if status in SEATED and taken.get(session["id"], 0) >= session["capacity"]:
            status = BookingStatus.cancelled if past else BookingStatus.waitlisted
        seen.add((person_id, session["id"]))
        number = None
        if status is BookingStatus.waitlisted:
            number = queued[session["id"]] = queued.get(session["id"], 0) + 1
        if status in SEATED:
            taken[session["id"]] = taken.get(session["id"], 0) + 1
        price = session["price"]
        bookings.append(
            {
                "user_id": person_id,
                "course_session_id": session["id"],
                "status": status,
                "team_id": team_id,
                "price": price,
                "budget_year": session["starts_at"].year,
                "needs_approval": price > 0,
                "queue_number": number,
                "queued_at": session["starts_at"] - timedelta(days=20)
                if number
                else None,
                "offer_expires_at": session["starts_at"]
                if status is BookingStatus.offered
                else None,
                "booked_at": session["starts_at"] - timedelta(days=rng.randint(10, 90)),
            }
        )
    for session in sessions:
        session["seats_taken"] = taken.get(session["id"], 0)
    return bookings


def _plans(rng: random.Random, people: list, today) -> int:
    starts_on, ends_on = period_containing(today)
    states = (
        PlanStatus.draft,
        PlanStatus.submitted,
        PlanStatus.approved,
        PlanStatus.returned,
        PlanStatus.completed,
    )
    rows = [
        {
            "kind": PlanKind.person,
            "owner_id": person_id,
            "team_id": team_id,
            "status": rng.choices(states, (3, 2, 4, 1, 1))[0],
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        for person_id, team_id, _jc, _kind in people
    ]
    _insert(Plan, rows)
    return len(rows)


def seed_scale(
    scale: float = 1.0, seed: int = 2026, step: Callable[[str], None] = lambda _s: None
) -> dict[str, int]:
    """Load the national dataset (see the module's text); returns what it made."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        raise ScaleError(
            "the database already holds people: seed-scale fills a new database "
            "(flask db upgrade on an empty one)"
        )
    rng = random.Random(seed)
    sizes = _sized(scale)
    now, today = clock.now(), clock.today()
    step("organisation")
    org = _organisation(rng, sizes)
    step("framework")
    needs = _framework(rng, org["people"])
    competence_ids = sorted({c for targets in needs.values() for c in targets})
    step("ratings")
    ratings = _ratings(rng, needs, org["managers"], now)
    step("catalogue")
    courses = _catalogue(rng, sizes, competence_ids)
    step("sessions")
    sessions, meetings = _sessions(rng, sizes, courses, today)
    step("bookings")
    bookings = _bookings(rng, sizes, org["people"], sessions, now)
    _insert(
        CourseSession, [{k: v for k, v in s.items() if k != "price"} for s in sessions]
    )
    _insert(Meeting, meetings)
    _insert(Booking, bookings)
    step("plans")
    plans = _plans(rng, org["people"], today)
    _continue_ids()
    db.session.commit()
    return {
        "jobcentres": len(org["jobcentres"]),
        "people": len(org["people"]),
        "ratings": ratings,
        "courses": len(courses),
        "sessions": len(sessions),
        "bookings": len(bookings),
        "plans": plans,
    }


STEPS = (
    "organisation",
    "framework",
    "ratings",
    "catalogue",
    "sessions",
    "bookings",
    "plans",
)


@click.command("seed-scale")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.001, 10),
    help="Multiply every count by this.",
)
@click.option(
    "--seed", default=2026, show_default=True, help="The same seed gives the same data."
)
@with_appcontext
def seed_scale_command(scale: float, seed: int):
    """Fill an empty database with the national dataset (issue 19)."""
    with click.progressbar(length=len(STEPS), label="seed-scale", show_pos=True) as bar:
        made = seed_scale(scale, seed, step=lambda _name: bar.update(1))
    click.echo(", ".join(f"{n:,} {what}".replace(",", ".") for what, n in made.items()))


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_scale_command)
