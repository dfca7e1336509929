"""The manager's plan inbox reads a fixed number of queries, whatever the number
of submitted plans (issue 13: the same for 5 and for 200)."""

import re
from decimal import Decimal

from core.db import db
from courses.bookings import budgets
from learning.plans import decisions, services
from learning.plans.models import ActivityKind, Funding
from tests.courses.bookings.factories import make_session
from tests.dates import today


def _submitted_plans(count: int, team, course_session, create_user) -> None:
    """`count` people in the team, each with a submitted plan: a goal in words,
    a course session (a booking request) and a typed activity paid by the fund."""
    starts_on, ends_on = services.period_containing(today())
    for _ in range(count):
        person = create_user("employee", team=team)
        plan = services.create_plan(
            person, person, starts_on=starts_on, ends_on=ends_on
        )
        services.add_goal(person, plan, text="Bedre til virksomhedsbesøg")
        services.add_session(person, plan, course_session, funding=Funding.fund)
        services.add_activity(
            person,
            plan,
            kind=ActivityKind.reading,
            title="Faglitteratur",
            cost=Decimal(400),
            funding=Funding.fund,
        )
        decisions.submit(person, plan)
    db.session.commit()


def _rows(client) -> int:
    """The plans the inbox lists: one link to each plan's review."""
    page = client.get("/planer/indbakke").get_data(as_text=True)
    return len(re.findall(r'href="/planer/\d+/godkend"', page))


def _inbox_queries(client, count_queries) -> int:
    with count_queries() as statements:
        response = client.get("/planer/indbakke")
    assert response.status_code == 200
    return len(statements)


def test_plan_inbox_reads_as_many_queries_for_200_plans_as_for_5(
    client, login_as, create_unit, create_user, count_queries
):
    team = create_unit()
    manager = login_as("manager", team=team)
    budgets.set_budget(manager, team, today().year, Decimal(500000))
    course_session = make_session(capacity=300, price=2500, title="Kursus i sparring")
    db.session.commit()

    _submitted_plans(5, team, course_session, create_user)
    few = _inbox_queries(client, count_queries)
    assert _rows(client) == 5

    _submitted_plans(195, team, course_session, create_user)
    many = _inbox_queries(client, count_queries)
    assert _rows(client) == 200

    assert many == few, f"{few} queries for 5 plans, {many} for 200"
