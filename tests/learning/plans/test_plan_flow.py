"""A person's plan from the talk to the one-step approval, through HTTP."""

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification
from courses.bookings.models import Booking, BookingStatus
from learning.plans import decisions, services
from learning.plans.models import ActivityKind, Plan, PlanActivity, PlanStatus


def _fill(course_session):
    """Others hold every seat of the session."""
    course_session.seats_taken = course_session.capacity
    db.session.commit()


def test_employee_plans_and_manager_approves_with_bookings(
    client, login_as, setting, small_framework, create_user
):
    person, manager = setting.person, setting.manager
    login_as(person)
    response = client.post("/planer/ny", data={"period": "current"})
    assert response.status_code == 302
    plan = db.session.scalar(sa.select(Plan).where(Plan.owner_id == person.id))
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Udviklingsplan for Mette Nielsen" in page
    assert "Gør det til et mål" in page

    for code in ("B-V1", "B-H1"):
        competence = small_framework.by_code(code)
        response = client.post(
            f"/planer/{plan.id}/maal/fra-gab", data={"competence_id": competence.id}
        )
        assert response.status_code == 302
    full = setting.sessions[2]
    _fill(full)
    for cs in (setting.sessions[0], full):
        response = client.post(
            f"/planer/{plan.id}/aktiviteter/hold",
            data={"course_session_id": cs.id, "funding": "fund"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    colleague = create_user("employee", team=setting.team, name="Ayse Yilmaz")
    response = client.post(
        f"/planer/{plan.id}/aktiviteter",
        data={
            "kind": "internal",
            "title": "Sparring om samtaler",
            "colleague_id": colleague.id,
            "cost": "1.250,50",
            "funding": "budget",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    activity = db.session.scalar(
        sa.select(PlanActivity).where(PlanActivity.kind == ActivityKind.internal)
    )
    assert str(activity.cost) == "1250.50"

    assert client.post(f"/planer/{plan.id}/indsend").status_code == 302
    db.session.refresh(plan)
    assert plan.status is PlanStatus.submitted
    requests = db.session.scalars(
        sa.select(Booking).where(Booking.user_id == person.id)
    ).all()
    assert {b.status for b in requests} == {BookingStatus.requested}
    assert db.session.scalar(
        sa.select(Notification).where(Notification.user_id == manager.id)
    ).subject.startswith("Udviklingsplan til godkendelse")

    login_as(manager)
    review = client.get(f"/planer/{plan.id}/godkend").get_data(as_text=True)
    assert "Den Kommunale Kompetencefond betaler" in review
    assert "4.000,00 kr." in review  # 80 % of the two 2.500 kr. courses
    response = client.post(
        f"/planer/{plan.id}/godkend", data={"approve": "1", "comment": "God plan"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).status is PlanStatus.approved
    statuses = {
        b.course_session_id: b.status
        for b in db.session.scalars(
            sa.select(Booking).where(Booking.user_id == person.id)
        )
    }
    assert statuses == {
        setting.sessions[0].id: BookingStatus.confirmed,
        full.id: BookingStatus.waitlisted,
    }
    login_as(person)
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "nummer 1 på ventelisten" in page
    actions = set(
        db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.object_type == "plans")
        )
    )
    assert {"plan.submit", "plan.approve", "plan.goal_add"} <= actions


def test_returned_plan_says_why_and_withdraws_its_requests(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    login_as(setting.person)
    client.post(f"/planer/{plan.id}/maal", data={"text": "Bedre til møder"})
    client.post(
        f"/planer/{plan.id}/aktiviteter/hold",
        data={"course_session_id": setting.sessions[0].id, "funding": "budget"},
    )
    client.post(f"/planer/{plan.id}/indsend")
    login_as(setting.manager)
    empty = client.post(f"/planer/{plan.id}/godkend", data={"send_back": "1"})
    assert empty.status_code == 400
    assert "Skriv hvorfor" in empty.get_data(as_text=True)
    response = client.post(
        f"/planer/{plan.id}/godkend",
        data={"send_back": "1", "comment": "Tilføj et kursus i samtaler"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert plan.status is PlanStatus.returned
    booking = db.session.scalar(sa.select(Booking))
    assert booking.status is BookingStatus.cancelled
    login_as(setting.person)
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Tilføj et kursus i samtaler" in page
    assert client.post(f"/planer/{plan.id}/indsend").status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).status is PlanStatus.submitted
    assert [d.action for d in db.session.get(Plan, plan.id).decisions] == [
        "submit",
        "return",
        "submit",
    ]


def test_each_side_is_told_in_their_own_language(setting, plan_for):
    """The manager reads English, the person Danish: each notice is written in its
    reader's language, whoever acted."""
    person, manager = setting.person, setting.manager
    manager.language = "en"
    plan = plan_for(person)
    services.add_goal(person, plan, text="Bliv bedre til jobsamtaler med unge")
    services.add_activity(
        person, plan, kind=ActivityKind.reading, title="Læs om samtaler med unge"
    )
    decisions.submit(person, plan)
    decisions.return_plan(manager, plan, comment="Tilføj en aktivitet")
    db.session.commit()

    def subjects(who):
        return db.session.scalars(
            sa.select(Notification.subject)
            .where(Notification.user_id == who.id)
            .order_by(Notification.id)
        ).all()

    assert subjects(manager) == [f"Development plan to approve: {person.name}"]
    assert subjects(person) == [f"Udviklingsplan sendt retur: {person.name}"]
