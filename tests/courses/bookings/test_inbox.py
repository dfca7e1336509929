"""The manager's approval inbox: price and budget figures, approve, reject with a
comment, exceptions from prerequisites."""

from decimal import Decimal

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from courses.bookings import budgets, services
from courses.bookings.models import BookingStatus, PrerequisiteWaiver

S = BookingStatus


def test_inbox_shows_price_budget_committed_and_remaining(
    client, login_as, manager, employee, make_employee, make_session, team
):
    budgets.set_budget(manager, team, make_session().starts_at.year, Decimal(10000))
    approved = services.book(make_employee(), make_session(price=3000))
    services.approve(manager, approved)
    request = services.book(employee, make_session(price=4500, title="Jobsamtaler"))
    db.session.commit()
    login_as(manager)
    text = client.get("/tilmeldinger/godkendelser").get_data(as_text=True)
    assert "Jobsamtaler" in text
    assert employee.name in text
    assert "4.500,00 kr." in text  # the price
    assert "10.000,00 kr." in text  # the budget
    assert "3.000,00 kr." in text  # committed
    assert "7.000,00 kr." in text  # remaining
    assert request.status is S.requested


def test_approve_from_the_inbox(client, login_as, manager, employee, make_session):
    booking = services.book(employee, make_session(price=100))
    db.session.commit()
    login_as(manager)
    response = client.post(
        f"/tilmeldinger/{booking.id}/godkend",
        data={"comment": ""},
        follow_redirects=True,
    )
    assert "Tilmeldingen er nu bekræftet" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status is S.confirmed
    assert booking.decided_by_id == manager.id
    replay = client.post(
        f"/tilmeldinger/{booking.id}/godkend",
        data={"comment": ""},
        follow_redirects=True,
    )
    assert "Det er allerede sket" in replay.get_data(as_text=True)


def test_reject_needs_a_comment(client, login_as, manager, employee, make_session):
    booking = services.book(employee, make_session(price=100))
    db.session.commit()
    login_as(manager)
    response = client.post(f"/tilmeldinger/{booking.id}/afvis", data={"comment": " "})
    assert response.status_code == 400
    assert "Skriv en kommentar" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status is S.requested
    client.post(f"/tilmeldinger/{booking.id}/afvis", data={"comment": "Ikke i år"})
    db.session.refresh(booking)
    assert booking.status is S.rejected
    assert booking.decision_comment == "Ikke i år"


def test_another_teams_manager_cannot_decide(client, login_as, employee, make_session):
    booking = services.book(employee, make_session(price=100))
    db.session.commit()
    login_as("manager")
    assert client.post(f"/tilmeldinger/{booking.id}/godkend").status_code == 403
    assert client.post("/tilmeldinger/999999/godkend").status_code == 404
    db.session.refresh(booking)
    assert booking.status is S.requested


def test_an_employee_cannot_use_the_inbox(client, login_as, employee):
    login_as(employee)
    assert client.get("/tilmeldinger/godkendelser").status_code == 403


def test_manager_grants_an_exception_from_prerequisites(
    client, login_as, manager, employee, make_course
):
    basic = make_course(title="Grundkursus")
    course = make_course(title="Overbygning", prerequisites=[basic])
    login_as(manager)
    page = client.get("/tilmeldinger/undtagelser").get_data(as_text=True)
    assert "Overbygning" in page
    response = client.post(
        "/tilmeldinger/undtagelser",
        data={
            "person": employee.id,
            "course": course.id,
            "reason": "Har taget det i KL-regi",
        },
    )
    assert response.status_code == 302
    waiver = db.session.scalar(sa.select(PrerequisiteWaiver))
    assert waiver.user_id == employee.id
    assert waiver.granted_by_id == manager.id
    assert (
        db.session.scalar(
            sa.select(AuditEvent.reason).where(
                AuditEvent.action == "prerequisite.waived"
            )
        )
        == "Har taget det i KL-regi"
    )
    missing_reason = client.post(
        "/tilmeldinger/undtagelser",
        data={"person": employee.id, "course": course.id, "reason": ""},
    )
    assert missing_reason.status_code == 400


def test_inbox_queries_do_not_grow(
    client, login_as, manager, make_employee, make_session, count_queries
):
    services.book(make_employee(), make_session(price=100))
    db.session.commit()
    login_as(manager)
    with count_queries() as few:
        client.get("/tilmeldinger/godkendelser")
    for _ in range(6):
        services.book(make_employee(), make_session(price=200))
    db.session.commit()
    with count_queries() as many:
        client.get("/tilmeldinger/godkendelser")
    assert len(few) == len(many)
