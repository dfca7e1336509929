"""Approving a development plan with its 10 bookings in one step, against
approving the same 10 bookings one at a time through the booking service, in the
same run (issue 13's aim: at most 3x).

Each round builds fresh data through the services, as people would: a person in
a team with a manager and a budget, 10 paid sessions of 10 courses on 10
different days, and a plan with a goal and those 10 sessions, submitted (so 10
booking requests). Timed, from the loaded plan or bookings to the commit:
decisions.approve for the plan, and courses.bookings.services.approve called 10
times for the baseline. Rounds alternate; best of ROUNDS each. SQLite, and
PostgreSQL when configured.
"""

import time
from datetime import timedelta
from decimal import Decimal
from itertools import count

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core import clock
from core.db import db
from core.people import services as people
from core.people.models import OrgUnit, Role, UnitKind, User
from courses.bookings import budgets
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider, ProviderKind
from courses.sessions.models import CourseSession, Meeting
from learning.plans import decisions, page_data, services
from learning.plans.models import Funding, Plan
from tests.bench import goals
from tests.bench.databases import on_each_database
from tests.dates import at
from wsgi import create_app

BOOKINGS = 10
ROUNDS = 5
_serial = count(1)


def setup_org() -> tuple[object, User]:
    """A region, a jobcentre and a team with its manager and this year's budget."""
    region = people.create_unit(None, kind=UnitKind.region, name="Region", parent=None)
    centre = people.create_unit(
        None, kind=UnitKind.jobcentre, name="Jobcenter", parent=region
    )
    team = people.create_unit(None, kind=UnitKind.team, name="Team", parent=centre)
    manager = people.create_user(
        None,
        email="leder@bench.dk",
        name="Leder",
        roles=[Role.manager, Role.employee],
        team=team,
    )
    team.manager = manager
    budgets.set_budget_unchecked(team, clock.today().year, Decimal(10_000_000))
    db.session.commit()
    return team, manager


def submitted_plan(team) -> int:
    """A new person with a submitted plan holding BOOKINGS fresh paid sessions."""
    n = next(_serial)
    person = people.create_user(
        None, email=f"p{n}@bench.dk", name=f"Person {n}", team=team
    )
    provider = Provider(key=f"bench-{n}", name="Udbyder", kind=ProviderKind.cok)
    db.session.add(provider)
    # 09:00 Copenhagen time each day: a start taken from the time of day the
    # bench runs (now + 30 days) made a session after 18:00 run past midnight,
    # so its course days met the next day's session and the booking was
    # refused as a clash.
    today = clock.today()
    sessions = []
    for k in range(BOOKINGS):
        course = Course(
            provider=provider,
            title=f"Kursus {n}.{k}",
            price_state=Decimal(2500),
            price_municipal=Decimal(2500),
        )
        start = at(today + timedelta(days=30 + k))
        cs = CourseSession(
            course=course,
            capacity=20,
            location="Kursuscenter",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
        cs.meetings.append(
            Meeting(starts_at=start, ends_at=start + timedelta(hours=6), place="Sal")
        )
        db.session.add_all([course, cs])
        sessions.append(cs)
    db.session.flush()
    starts_on, ends_on = services.period_containing(clock.today())
    plan = services.create_plan(person, person, starts_on=starts_on, ends_on=ends_on)
    services.add_goal(person, plan, text="Bedre til virksomhedskontakt")
    for cs in sessions:
        services.add_session(person, plan, cs, funding=Funding.fund)
    decisions.submit(person, plan)
    db.session.commit()
    return plan.id


def _fresh() -> None:
    db.session.commit()
    db.session.expunge_all()


def approve_plan(plan_id: int, manager_id: int) -> float:
    """The plan page's decision: the plan loaded as its page loads it, approved."""
    _fresh()
    manager = db.session.get(User, manager_id)
    plan = page_data.load_plan(plan_id)
    started = time.perf_counter()
    decisions.approve(manager, plan, comment="God plan")
    db.session.commit()
    elapsed = time.perf_counter() - started
    assert plan.status.value == "approved"
    return elapsed


def approve_one_at_a_time(plan_id: int, manager_id: int) -> float:
    """The baseline: the plan's 10 requests approved one by one, as from the
    booking inbox, without the plan; loaded with their sessions and courses, as
    the plan loads them."""
    _fresh()
    manager = db.session.get(User, manager_id)
    requests = list(
        db.session.scalars(
            sa.select(Booking)
            .options(
                joinedload(Booking.course_session).joinedload(CourseSession.course)
            )
            .join(Plan, Plan.owner_id == Booking.user_id)
            .where(Plan.id == plan_id, Booking.status == BookingStatus.requested)
            .order_by(Booking.id)
        )
    )
    assert len(requests) == BOOKINGS
    started = time.perf_counter()
    for booking in requests:
        bookings.approve(manager, booking, comment="God plan")
    db.session.commit()
    elapsed = time.perf_counter() - started
    assert {b.status for b in requests} == {BookingStatus.confirmed}
    return elapsed


def run(label: str, url: str) -> None:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40})
    with app.test_request_context(), app.app_context():
        db.drop_all()
        db.create_all()
        team, manager = setup_org()
        team_id, manager_id = team.id, manager.id
        single, plan = [], []
        for _ in range(ROUNDS):
            # Fresh data for each measurement; the two kinds alternate.
            single.append(
                approve_one_at_a_time(
                    submitted_plan(db.session.get(OrgUnit, team_id)), manager_id
                )
            )
            plan.append(
                approve_plan(
                    submitted_plan(db.session.get(OrgUnit, team_id)), manager_id
                )
            )
        one_s, plan_s = min(single), min(plan)
        median_one = sorted(single)[ROUNDS // 2]
        median_plan = sorted(plan)[ROUNDS // 2]
        print(
            f"{label}: {BOOKINGS} bookings one at a time  best {one_s * 1000:.1f} ms"
            f"  median {median_one * 1000:.1f} ms"
        )
        print(
            f"{label}: plan with {BOOKINGS} bookings      best {plan_s * 1000:.1f} ms"
            f"  median {median_plan * 1000:.1f} ms"
        )
        print(
            f"{label}: ratio plan/one-at-a-time: {plan_s / one_s:.2f}x"
            f"  (median {median_plan / median_one:.2f}x; aim: at most 3x)"
        )
        goals.record(
            f"plan approval with {BOOKINGS} bookings: at most 3x one at a time",
            label,
            f"{plan_s / one_s:.2f}x",
            plan_s / one_s <= 3,
        )
        # Teams and their managers point at each other: untie them to drop.
        db.session.execute(sa.update(OrgUnit).values(manager_id=None, deputy_id=None))
        db.session.commit()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()
