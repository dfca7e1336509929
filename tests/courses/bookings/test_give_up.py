"""Giving a booking up asks first (issue 15): "Afmeld" opens a page (or, with
JavaScript, a dialog with the same words) that says what it means, late and what
a late cancellation costs included, before anything changes."""

from datetime import timedelta

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db, utcnow
from core.notifications.models import Notification
from courses.bookings import services
from courses.bookings.models import Booking, BookingStatus
from tests.dates import danish

S = BookingStatus


def _paid_booking(make_session, employee, manager, **deadlines):
    """A confirmed 2.500 kr. seat, approved by the manager."""
    cs = make_session(price=2500, **deadlines)
    booking = services.book(employee, cs)
    services.approve(manager, booking)
    db.session.commit()
    assert booking.status is S.confirmed
    return booking


def _status(booking_id: int) -> BookingStatus:
    db.session.expire_all()
    return db.session.get(Booking, booking_id).status


def test_cancelling_asks_first_and_asking_changes_nothing(
    client, login_as, make_session, employee, manager
):
    deadline = utcnow() + timedelta(days=10)
    booking = _paid_booking(
        make_session, employee, manager, cancellation_deadline=deadline
    )
    login_as(employee)

    mine = client.get("/tilmeldinger/").text
    # The button is a link to the page; the dialog holds the same words and form.
    assert f'href="/tilmeldinger/{booking.id}/afmeld" data-confirm=' in mine
    assert f'id="give-up-{booking.id}"' in mine
    assert "Vil du afmelde dig?" in mine

    page = client.get(f"/tilmeldinger/{booking.id}/afmeld")
    assert page.status_code == 200
    assert "<h1>Vil du afmelde dig?</h1>" in page.text
    assert f"før afmeldingsfristen ({danish(deadline)})" in page.text
    assert "sen afmelding" not in page.text
    assert f'action="/tilmeldinger/{booking.id}/afmeld"' in page.text
    assert _status(booking.id) is S.confirmed

    response = client.post(
        f"/tilmeldinger/{booking.id}/afmeld", data={"reason": "Vi har travlt"}
    )
    assert response.status_code == 302
    assert _status(booking.id) is S.cancelled
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "booking.cancel")
    )
    assert event.reason == "Vi har travlt"


def test_a_late_cancellation_says_so_and_what_it_costs_before_it_happens(
    client, login_as, make_session, employee, manager, travel
):
    deadline = utcnow() + timedelta(days=5)
    booking = _paid_booking(
        make_session, employee, manager, cancellation_deadline=deadline
    )
    travel(deadline + timedelta(days=1))
    login_as(employee)

    for path in ("/tilmeldinger/", f"/tilmeldinger/{booking.id}/afmeld"):
        text = client.get(path).text
        assert "Vil du afmelde dig efter fristen?" in text, path
        assert "Det er en sen afmelding" in text, path
        assert f"Afmeldingsfristen var {danish(deadline)}." in text, path
        assert "Prisen, 2.500,00 kr., bliver stående på jeres enheds budget" in text
    assert _status(booking.id) is S.confirmed

    client.post(f"/tilmeldinger/{booking.id}/afmeld", data={"reason": "Syg barn"})
    assert _status(booking.id) is S.late_cancelled
    notice = db.session.scalar(
        sa.select(Notification)
        .where(Notification.user_id == manager.id)
        .order_by(Notification.id.desc())
    )
    assert "efter afmeldingsfristen" in notice.body
    assert "Begrundelse: Syg barn" in notice.body


def test_a_free_late_cancellation_names_no_price(
    client, login_as, make_session, employee, travel
):
    cs = make_session(cancellation_deadline=utcnow() + timedelta(days=2))
    booking = services.book(employee, cs)
    db.session.commit()
    travel(utcnow() + timedelta(days=3))
    login_as(employee)
    text = client.get(f"/tilmeldinger/{booking.id}/afmeld").text
    assert "Det er en sen afmelding" in text
    assert "Prisen" not in text


def test_withdrawing_and_declining_say_what_is_lost(
    client, login_as, make_session, make_employee
):
    cs = make_session(capacity=1)
    first, second = make_employee(), make_employee()
    held = services.book(first, cs)
    waiting = services.book(second, cs)
    db.session.commit()
    assert waiting.status is S.waitlisted

    login_as(second)
    text = client.get(f"/tilmeldinger/{waiting.id}/afmeld").text
    assert "Vil du trække din tilmelding tilbage?" in text
    assert "mister din plads (nummer 1)" in text

    services.cancel(first, held)
    db.session.commit()
    assert _status(waiting.id) is S.offered
    text = client.get(f"/tilmeldinger/{waiting.id}/afslaa").text
    assert "Vil du sige nej tak til pladsen?" in text
    assert "går videre til den næste på ventelisten" in text
    assert _status(waiting.id) is S.offered


def test_a_bad_reason_is_refused_in_danish_and_nothing_changes(
    client, login_as, make_session, employee
):
    booking = services.book(employee, make_session())
    db.session.commit()
    login_as(employee)
    response = client.post(
        f"/tilmeldinger/{booking.id}/afmeld", data={"reason": "x" * 1001}
    )
    assert response.status_code == 400
    assert "Skriv højst 1000 tegn." in response.text
    assert _status(booking.id) is S.confirmed


def test_a_booking_already_given_up_has_nothing_to_ask(
    client, login_as, make_session, employee
):
    booking = services.book(employee, make_session())
    services.cancel(employee, booking)
    db.session.commit()
    login_as(employee)
    response = client.get(f"/tilmeldinger/{booking.id}/afmeld")
    assert response.status_code == 302
    assert "Det er allerede sket" in client.get(response.headers["Location"]).text


def test_only_the_booked_person_and_their_manager_see_the_page(
    client, login_as, make_session, employee
):
    booking = services.book(employee, make_session())
    db.session.commit()
    login_as("employee")
    assert client.get(f"/tilmeldinger/{booking.id}/afmeld").status_code == 403
