"""The plan's rules seen from outside: access, bad input, races, rollback of a
failed approval, completion through the booking signals."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.db import db
from core.notifications.models import Notification
from core.people.models import UnitKind
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from courses.sessions.models import SessionStatus
from learning.plans import decisions, services
from learning.plans.errors import PlanError
from learning.plans.models import ActivityStatus, Plan, PlanActivity, PlanStatus
from tests.dates import danish, working_day


def _submitted(setting, plan_for, sessions=1):
    plan = plan_for(setting.person)
    services.add_goal(setting.person, plan, text="Bedre til virksomhedsbesøg")
    for cs in setting.sessions[:sessions]:
        services.add_session(setting.person, plan, cs)
    decisions.submit(setting.person, plan)
    db.session.commit()
    return plan


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("colleague", 403),
        ("other_manager", 403),
        ("coordinator", 200),
        ("other_coordinator", 403),
        ("provider_staff", 403),
    ],
)
def test_who_sees_a_plan(
    client, login_as, setting, plan_for, create_user, create_unit, who, status
):
    plan = plan_for(setting.person)
    other_team = create_unit(UnitKind.team)
    users = {
        "owner": setting.person,
        "manager": setting.manager,
        "colleague": create_user("employee", team=setting.team),
        "other_manager": create_user("manager", team=other_team),
        "coordinator": create_user("coordinator", team=setting.team),
        "other_coordinator": create_user("coordinator", team=other_team),
        "provider_staff": create_user("provider_staff"),
    }
    if who == "other_manager":
        other_team.manager = users[who]
        db.session.commit()
    login_as(users[who])
    assert client.get(f"/planer/{plan.id}").status_code == status
    assert client.get(f"/planer/{plan.id}/udskriv").status_code == status


def test_unknown_plan_is_404_and_others_cannot_change_it(
    client, login_as, setting, plan_for, create_user
):
    plan = plan_for(setting.person)
    login_as(create_user("employee", team=setting.team))
    assert client.get("/planer/999999").status_code == 404
    response = client.post(f"/planer/{plan.id}/maal", data={"text": "Mit mål"})
    assert response.status_code == 403
    login_as(setting.manager)
    # The manager reads the plan but does not write the employee's goals.
    response = client.post(f"/planer/{plan.id}/maal", data={"text": "Mit mål"})
    assert response.status_code == 403
    assert db.session.get(Plan, plan.id).goals == []


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("abc", "Skriv et beløb i kroner"),
        ("-5", "Skriv et beløb i kroner"),
        ("99.999.999", "Skriv et beløb i kroner"),
    ],
)
def test_bad_cost_is_a_danish_message_and_changes_nothing(
    client, login_as, setting, plan_for, cost, message
):
    plan = plan_for(setting.person)
    login_as(setting.person)
    response = client.post(
        f"/planer/{plan.id}/aktiviteter",
        data={"kind": "reading", "title": "Bog om samtaler", "cost": cost},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PlanActivity.id))) == 0


def test_danish_dates_are_read_and_an_end_before_the_start_is_refused(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    login_as(setting.person)
    start, end = working_day(10), working_day(12)
    response = client.post(
        f"/planer/{plan.id}/aktiviteter",
        data={
            "kind": "reading",
            "title": "Læsning om rehabilitering",
            "starts_on": end.strftime("%d.%m.%Y"),
            "ends_on": start.strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 400
    assert "Aktiviteten skal slutte" in response.get_data(as_text=True)
    response = client.post(
        f"/planer/{plan.id}/aktiviteter",
        data={
            "kind": "reading",
            "title": "Læsning om rehabilitering",
            "starts_on": start.strftime("%d.%m.%Y"),
            "ends_on": end.strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    activity = db.session.scalar(sa.select(PlanActivity))
    assert (activity.starts_on, activity.ends_on) == (start, end)
    assert danish(start) in client.get(f"/planer/{plan.id}").get_data(as_text=True)


def test_one_plan_per_period(client, login_as, setting, plan_for):
    plan = plan_for(setting.person)
    login_as(setting.person)
    response = client.post("/planer/ny", data={"period": "current"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert (
        f"allerede en plan for perioden, der begynder {danish(plan.starts_on)}" in page
    )


def test_an_empty_plan_cannot_be_submitted(client, login_as, setting, plan_for):
    plan = plan_for(setting.person)
    login_as(setting.person)
    response = client.post(f"/planer/{plan.id}/indsend")
    assert response.status_code == 409
    assert db.session.get(Plan, plan.id).status is PlanStatus.draft


def test_two_managers_approving_at_once_one_wins(
    client, login_as, setting, plan_for, create_user
):
    plan = _submitted(setting, plan_for)
    deputy = create_user("manager", team=setting.team)
    setting.team.deputy, setting.team.deputising = deputy, True
    db.session.commit()
    stale = db.session.get(Plan, plan.id)  # the deputy's view, loaded before
    login_as(setting.manager)
    assert (
        client.post(f"/planer/{plan.id}/godkend", data={"approve": "1"}).status_code
        == 302
    )
    with pytest.raises(PlanError) as refused:
        decisions.approve(deputy, stale)
    assert refused.value.code in ("already_decided", "wrong_state")
    db.session.rollback()
    login_as(deputy)
    response = client.post(f"/planer/{plan.id}/godkend", data={"approve": "1"})
    assert response.status_code in (403, 409)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Plan).where(Plan.id == plan.id)
        )
        == 1
    )
    assert [d.action for d in db.session.get(Plan, plan.id).decisions] == [
        "submit",
        "approve",
    ]


def test_a_booking_that_fails_undoes_the_whole_approval(
    client, login_as, setting, plan_for
):
    plan = _submitted(setting, plan_for, sessions=2)
    cancelled = setting.sessions[1]
    cancelled.status = SessionStatus.cancelled
    db.session.commit()
    login_as(setting.manager)
    response = client.post(f"/planer/{plan.id}/godkend", data={"approve": "1"})
    assert response.status_code == 409
    assert cancelled.course.title in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).status is PlanStatus.submitted
    statuses = set(db.session.scalars(sa.select(Booking.status)))
    assert statuses == {BookingStatus.requested}


def test_completed_booking_completes_its_activity_and_plan_invites_assessment(
    app, setting, plan_for, travel, create_user
):
    plan = _submitted(setting, plan_for)
    decisions.approve(setting.manager, plan)
    db.session.commit()
    booking = db.session.scalar(sa.select(Booking))
    assert booking.status is BookingStatus.confirmed
    travel(booking.course_session.starts_at + timedelta(hours=1))
    admin = create_user("admin")
    bookings.record_attendance(admin, booking, "completed")
    db.session.commit()
    activity = db.session.scalar(sa.select(PlanActivity))
    assert activity.status is ActivityStatus.completed
    decisions.complete(setting.person, plan)
    db.session.commit()
    note = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == setting.person.id)
        .order_by(Notification.id.desc())
    ).first()
    assert "ny selvvurdering" in note.subject
