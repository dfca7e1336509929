"""Every booking route for every role; anonymous visitors are sent to the login."""

import pytest

from core.db import db
from core.people.models import UnitKind
from courses.bookings import services

ROLES = ["employee", "manager", "coordinator", "provider_staff", "admin"]


def _expect(table: dict, role: str) -> int:
    return table.get(role, 403)


GET_ROUTES = {
    "mine": ("/tilmeldinger/", dict.fromkeys(ROLES, 200)),
    "inbox": ("/tilmeldinger/godkendelser", {"manager": 200, "admin": 200}),
    "waiver": ("/tilmeldinger/undtagelser", {"manager": 200, "admin": 200}),
    "budgets": ("/budgetter/", {"coordinator": 200, "admin": 200}),
    "budget_unit": ("/budgetter/{unit}", {"admin": 200}),
    "participants": ("/hold/{cs}/deltagerliste", {"admin": 200}),
    "interest": (
        "/interesse/",
        {"coordinator": 200, "provider_staff": 200, "admin": 200},
    ),
}


@pytest.fixture
def ids(make_session, create_unit):
    cs = make_session()
    return {"cs": cs.id, "unit": create_unit(UnitKind.team).id}


@pytest.mark.parametrize("route", sorted(GET_ROUTES))
@pytest.mark.parametrize("role", [*ROLES, None])
def test_get_routes(client, login_as, ids, route, role):
    path, table = GET_ROUTES[route]
    path = path.format(**ids)
    if role is None:
        response = client.get(path)
        assert response.status_code == 302
        assert "/log-ind" in response.headers["Location"]
        return
    login_as(role)
    assert client.get(path).status_code == _expect(table, role)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_booking_is_open_to_every_signed_in_role(client, login_as, ids, role):
    if role is None:
        response = client.post(f"/hold/{ids['cs']}/tilmeld", data={"expect": "seat"})
        assert "/log-ind" in response.headers["Location"]
        return
    login_as(role)
    response = client.post(f"/hold/{ids['cs']}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tilmeldinger/")


@pytest.mark.parametrize("role", [*ROLES, None])
def test_only_the_owner_or_their_manager_may_cancel(
    client, login_as, create_user, make_session, role
):
    booking = services.book(create_user(), make_session())
    db.session.commit()
    if role is None:
        assert client.post(f"/tilmeldinger/{booking.id}/afmeld").status_code == 302
        return
    login_as(role)
    expected = 302 if role == "admin" else 403
    assert client.post(f"/tilmeldinger/{booking.id}/afmeld").status_code == expected


@pytest.fixture
def targets(make_session, make_course, create_user, create_unit):
    """A paid request and a started session's confirmed booking, of strangers."""
    request = services.book(
        create_user(team=create_unit(UnitKind.team)), make_session(price=100)
    )
    started = make_session()
    booking = services.book(create_user(), started)
    db.session.commit()
    return {"request": request.id, "booking": booking.id, "course": make_course().id}


POST_ROUTES = {
    "approve": ("/tilmeldinger/{request}/godkend", {"comment": ""}, {"admin": 302}),
    "reject": ("/tilmeldinger/{request}/afvis", {"comment": "Nej"}, {"admin": 302}),
    "attendance": (
        "/tilmeldinger/{booking}/fremmoede",
        {"outcome": "attended"},
        {"admin": 409},
    ),  # admins may, but the session has not begun
    "interest": ("/kurser/{course}/interesse", {}, dict.fromkeys(ROLES, 302)),
}


@pytest.mark.parametrize("route", sorted(POST_ROUTES))
@pytest.mark.parametrize("role", [*ROLES, None])
def test_post_routes(client, login_as, targets, route, role):
    path, data, table = POST_ROUTES[route]
    path = path.format(**targets)
    if role is None:
        response = client.post(path, data=data)
        assert response.status_code == 302
        assert "/log-ind" in response.headers["Location"]
        return
    login_as(role)
    assert client.post(path, data=data).status_code == _expect(table, role)
