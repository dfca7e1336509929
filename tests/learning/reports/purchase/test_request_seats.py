"""One click turns the plan into booking requests: through the booking life
cycle, for the people chosen, all or none; the managers see them in their
approval inboxes."""

import re

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from tests.learning.reports.purchase.conftest import plan_url

INBOX = "/tilmeldinger/godkendelser"
REQUEST = "/rapporter/indkoebsplan/anmod"


def _button(html: str) -> dict[str, str]:
    """The hidden fields of the page's request form, as the browser posts them."""
    form = html[html.index(f'action="{REQUEST}') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def _requests() -> list[tuple[str, str, BookingStatus, str]]:
    db.session.expire_all()
    return sorted(
        (b.user.name, b.course_session.course.title, b.status, b.approval_reason)
        for b in db.session.scalars(sa.select(Booking))
    )


def test_one_click_requests_every_seat_for_its_managers_approval(
    client, login_as, world
):
    login_as(world.coordinator)
    data = _button(client.get(plan_url("20.500")).get_data(as_text=True))
    response = client.post(REQUEST, data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 anmodninger om tilmelding venter på ledernes godkendelse." in page
    law = "Lovgivning grundigt"
    assert _requests() == [
        ("Per Bach", law, BookingStatus.requested, "purchase_plan"),
        ("Pia Andersen", law, BookingStatus.requested, "purchase_plan"),
    ]
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "purchase_plan.requested")
    )
    assert event.after["cost"] == "20000.00"
    login_as(world.manager_a)
    inbox = client.get(INBOX).get_data(as_text=True)
    assert f"Pia Andersen: {law}" in inbox
    assert "Per Bach" not in inbox
    login_as(world.manager_b)
    assert f"Per Bach: {law}" in client.get(INBOX).get_data(as_text=True)


def test_a_plan_gone_stale_requests_nothing_and_says_why(client, login_as, world):
    login_as(world.coordinator)
    data = _button(client.get(plan_url("20.500")).get_data(as_text=True))
    # Meanwhile the session's seats go to others: one seat is left for two.
    world.law.capacity = 1
    db.session.commit()
    response = client.post(REQUEST, data=data)
    assert response.status_code == 409
    assert (
        "Planen er forældet: Lovgivning grundigt har ikke længere pladser til alle "
        "i planen. Der er ikke anmodet om noget;" in response.get_data(as_text=True)
    )
    assert _requests() == []


def test_a_person_booked_meanwhile_stops_the_whole_plan(client, login_as, world):
    login_as(world.coordinator)
    data = _button(client.get(plan_url("20.500")).get_data(as_text=True))
    bookings.book(world.per, world.law)
    db.session.commit()
    response = client.post(REQUEST, data=data)
    assert response.status_code == 409
    assert "Per Bach kan ikke længere tilmeldes" in response.get_data(as_text=True)
    # Only Per's own booking: Pia's request was not made either.
    assert [name for name, *_rest in _requests()] == ["Per Bach"]


def test_a_forged_seat_is_refused(client, login_as, world, create_user):
    stranger = create_user("employee", name="Fremmed Person")
    login_as(world.coordinator)
    data = _button(client.get(plan_url("20.500")).get_data(as_text=True))
    data["seats"] += f" {stranger.id}-{world.law.id}"
    assert client.post(REQUEST, data=data).status_code == 409
    data["seats"] = "alle"
    assert client.post(REQUEST, data=data).status_code == 400
    assert _requests() == []


def test_a_plan_over_budget_is_refused(client, login_as, world):
    login_as(world.coordinator)
    data = _button(client.get(plan_url("20.500")).get_data(as_text=True))
    data["budget"] = "15.000"
    response = client.post(REQUEST, data=data)
    assert response.status_code == 409
    assert "holder sig ikke længere inden for budgettet" in response.get_data(
        as_text=True
    )
    assert _requests() == []


def test_another_jobcentres_coordinator_may_not_request(client, login_as, world):
    login_as(world.coordinator)
    data = _button(client.get(plan_url("20.500")).get_data(as_text=True))
    login_as("coordinator")
    url = f"{REQUEST}?jobcentre={world.jobcentre.id}"
    assert client.post(url, data=data).status_code == 403
    assert _requests() == []
