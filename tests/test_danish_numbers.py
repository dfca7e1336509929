"""Numbers typed the Danish way, or in English where that cannot be misread, are
saved as meant through every form's shared number field; a number that reads two
ways is refused with how it could be read (issue 15)."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import UnitKind
from courses.bookings import services as bookings
from courses.bookings.models import Budget
from courses.sessions.models import CourseSession
from tests.courses.bookings import factories as booking_factories
from tests.test_numeric_fields import _error_beside, new_session


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("250.000", Decimal("250000")),
        ("1.250,50", Decimal("1250.50")),
        ("1 250,50", Decimal("1250.50")),
        ("1\u00a0250,50", Decimal("1250.50")),  # a no-break space, as copied
        ("1\u202f250,50", Decimal("1250.50")),  # a narrow no-break space
        ("kr. 1.250", Decimal("1250")),
        ("1.250 kr.", Decimal("1250")),
        ("1.250,-", Decimal("1250")),
        ("1250.50", Decimal("1250.50")),  # English, and only English reads it
        ("1,250.50", Decimal("1250.50")),
        ("0,5", Decimal("0.5")),
    ],
)
def test_a_price_is_saved_as_it_was_meant(
    client, login_as, create_user, create_unit, typed, saved
):
    path, data = new_session(login_as, create_user, create_unit)
    response = client.post(path, data=data | {"price_state": typed})
    assert response.status_code == 302, _error_beside(response.text, "price_state")
    assert db.session.scalar(sa.select(CourseSession.price_state)) == saved


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("1,500", 'Skriv tallet entydigt: "1,500" kan læses som 1,5 eller 1.500.'),
        ("1.500,5.0", 'Skriv tallet entydigt: "1.500,5.0" kan læses som 1.500,5.'),
    ],
)
def test_a_number_that_reads_two_ways_says_how(
    client, login_as, create_user, create_unit, typed, told
):
    path, data = new_session(login_as, create_user, create_unit)
    response = client.post(path, data=data | {"price_state": typed})
    assert response.status_code == 400
    message = _error_beside(response.text, "price_state")
    assert message.startswith(f"Fejl: {told}"), message
    assert "fra 0 til 1.000.000" in message
    assert db.session.scalar(sa.select(sa.func.count(CourseSession.id))) == 0


@pytest.mark.parametrize("typed", ["1 50", "kr.", "1,5 kr 2", "-1.000"])
def test_what_is_no_number_at_all_is_refused(
    client, login_as, create_user, create_unit, typed
):
    path, data = new_session(login_as, create_user, create_unit)
    response = client.post(path, data=data | {"capacity": typed})
    assert response.status_code == 400
    # A session needs at least one seat (issue 15: capacity 0 is refused).
    assert "Skriv et helt tal fra 1 til 10.000" in _error_beside(
        response.text, "capacity"
    )


def test_a_capacity_of_a_thousand_with_spaces_is_a_thousand(
    client, login_as, create_user, create_unit
):
    path, data = new_session(login_as, create_user, create_unit)
    assert client.post(path, data=data | {"capacity": "1 000"}).status_code == 302
    assert db.session.scalar(sa.select(CourseSession.capacity)) == 1000


def test_a_jobcentre_budget_of_250_000_leaves_what_is_right(
    client, login_as, create_user, create_unit
):
    """The example of the issue: '250.000' was saved as 250,00 kr., and the
    jobcentre showed a negative remainder."""
    team = create_unit(UnitKind.team)
    jobcentre = team.parent
    manager = create_user("manager", team=team)
    team.manager = manager
    course_session = booking_factories.make_session(price=2500)
    booking = bookings.book(create_user("employee", team=team), course_session)
    bookings.approve(manager, booking)
    db.session.commit()
    year = booking.budget_year
    login_as(create_user("coordinator", team=team))
    response = client.post(
        f"/budgetter/?year={year}",
        data={"unit": jobcentre.id, "year": year, "amount": "250.000"},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Budget.amount)) == Decimal("250000")
    page = client.get(f"/budgetter/{jobcentre.id}?year={year}").text
    assert "250.000,00 kr." in page
    assert "247.500,00 kr." in page
