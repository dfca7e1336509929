"""Budgets per unit and year: set by the coordinator; committed = approved prices."""

from decimal import Decimal

import sqlalchemy as sa

from core.db import db
from core.people.models import UnitKind
from courses.bookings import budgets, services
from courses.bookings.models import Budget


def test_coordinator_sets_a_budget_and_sees_the_unit_page(
    client, login_as, create_user, team, manager, make_employee, make_session
):
    cs = make_session(price=2500)
    year = cs.starts_at.year
    person = make_employee()
    booking = services.book(person, cs)
    services.approve(manager, booking)
    services.book(make_employee(), make_session(price=999))  # not approved: not counted
    db.session.commit()
    coordinator = create_user("coordinator", team=team)
    login_as(coordinator)
    response = client.post(
        f"/budgetter/?year={year}",
        data={"unit": team.id, "year": year, "amount": "20000"},
    )
    assert response.status_code == 302
    budget = db.session.scalar(sa.select(Budget))
    assert budget.amount == Decimal("20000")
    text = client.get(f"/budgetter/?year={year}").get_data(as_text=True)
    assert "20.000,00 kr." in text
    assert "17.500,00 kr." in text
    unit_page = client.get(f"/budgetter/{team.id}?year={year}").get_data(as_text=True)
    assert person.name in unit_page
    assert "2.500,00 kr." in unit_page


def test_a_jobcentre_sums_its_teams(manager, team, make_employee, make_session):
    cs = make_session(price=1000)
    services.approve(manager, services.book(make_employee(), cs))
    figures = budgets.summary(team.parent, cs.starts_at.year)
    assert figures["committed"] == Decimal("1000")
    assert figures["budget"] is None
    batch = budgets.summaries([team, team.parent], cs.starts_at.year)
    assert batch[team.parent.id]["committed"] == Decimal("1000")
    assert batch[team.id]["committed"] == Decimal("1000")


def test_bad_amounts_are_refused(client, login_as, create_user, team):
    login_as(create_user("coordinator", team=team))
    response = client.post(
        "/budgetter/", data={"unit": team.id, "year": 2026, "amount": "-5"}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Budget.id))) == 0


def test_a_coordinator_cannot_set_another_jobcentres_budget(
    client, login_as, create_user, create_unit, team
):
    login_as(create_user("coordinator", team=team))
    elsewhere = create_unit(UnitKind.team)
    response = client.post(
        "/budgetter/", data={"unit": elsewhere.id, "year": 2026, "amount": "5"}
    )
    assert response.status_code == 400  # not among the choices
    assert client.get(f"/budgetter/{elsewhere.id}").status_code == 403


def test_a_manager_sees_the_own_teams_budget_only(
    client, login_as, manager, team, create_unit
):
    login_as(manager)
    assert client.get(f"/budgetter/{team.id}").status_code == 200
    assert client.get(f"/budgetter/{create_unit(UnitKind.team).id}").status_code == 403
    assert client.get("/budgetter/").status_code == 403


def test_budget_pages_cost_the_same_for_more_units_and_bookings(
    client,
    login_as,
    create_user,
    create_unit,
    team,
    manager,
    make_employee,
    make_session,
    count_queries,
):
    year = make_session().starts_at.year
    services.approve(manager, services.book(make_employee(), make_session(price=300)))
    db.session.commit()
    login_as(create_user("coordinator", team=team))
    with count_queries() as few:
        client.get(f"/budgetter/?year={year}")
        client.get(f"/budgetter/{team.id}?year={year}")
    for _ in range(3):
        create_unit(UnitKind.team, parent=team.parent)
    for _ in range(4):
        services.approve(
            manager, services.book(make_employee(), make_session(price=300))
        )
    db.session.commit()
    with count_queries() as many:
        client.get(f"/budgetter/?year={year}")
        client.get(f"/budgetter/{team.id}?year={year}")
    assert len(few) == len(many)


def test_pending_requests_show_what_would_remain(
    client, login_as, create_user, team, manager, make_employee, make_session
):
    """Issue 15: five open requests of 36.600 kr. in all each showed 'Resterende
    60.000 kr.'. The budget pages and the approval inbox now say what is
    approved, what awaits approval and what would remain."""
    cs = make_session(price=Decimal("7320"))
    year = cs.starts_at.year
    budgets.set_budget_unchecked(team, year, Decimal("60000"))
    for _ in range(5):
        services.book(make_employee(), cs)
    db.session.commit()

    login_as(create_user("coordinator", team=team))
    for url in (f"/budgetter/?year={year}", f"/budgetter/{team.id}?year={year}"):
        page = client.get(url).get_data(as_text=True)
        assert "36.600,00 kr." in page, url  # pending
        assert "23.400,00 kr." in page, url  # would remain
        assert "60.000,00 kr." in page, url  # remaining: nothing approved yet

    login_as(manager)
    inbox = client.get("/tilmeldinger/godkendelser").get_data(as_text=True)
    assert "36.600,00 kr. i 5 tilmeldinger" in inbox
    assert "23.400,00 kr." in inbox
