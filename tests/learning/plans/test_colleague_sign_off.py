"""Learning led by a named colleague (mentoring, job shadowing, peer training) is
completed by that colleague's sign-off, through HTTP: the colleague's page
"Læring du står for", the sign-off, what the owner is told and sees."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification, OutboxMail
from learning.plans import decisions, services
from learning.plans.models import ActivityKind, ActivityStatus, PlanActivity

PAGE = "/planer/kollegalaering"


def _sign_off_url(activity: PlanActivity) -> str:
    return f"{PAGE}/{activity.id}/godkend"


@pytest.fixture
def led(setting, plan_for, create_user):
    """Mette's plan with job shadowing led by Ayse (1.250,50 kr.) and a book;
    submitted, not yet approved."""
    colleague = create_user("employee", team=setting.team, name="Ayse Yilmaz")
    person = setting.person
    plan = plan_for(person)
    plan.wishes = "Hemmeligt ønske om orlov"
    goal = services.add_goal(person, plan, text="Bedre til virksomhedsbesøg")
    shadowing = services.add_activity(
        person,
        plan,
        kind=ActivityKind.internal,
        title="Følordning på virksomhedsbesøg",
        colleague=colleague,
        goal_id=goal.id,
        cost=Decimal("1250.50"),
    )
    services.add_activity(
        person, plan, kind=ActivityKind.reading, title="Læs om jobrotation"
    )
    decisions.submit(person, plan)
    db.session.commit()
    return plan, shadowing, colleague


def _approve(setting, plan):
    decisions.approve(setting.manager, plan)
    db.session.commit()


def test_colleague_sees_only_their_part_and_signs_it_off(
    client, login_as, setting, led
):
    plan, shadowing, colleague = led
    _approve(setting, plan)
    login_as(colleague)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Læring du står for" in page
    assert "Mette Nielsen" in page
    assert "Følordning på virksomhedsbesøg" in page
    assert "Bedre til virksomhedsbesøg" in page  # the goal it serves
    # Nothing else of the plan: its other activities, its cost, its wishes.
    assert "Læs om jobrotation" not in page
    assert "1.250" not in page
    assert "Hemmeligt ønske" not in page

    response = client.post(
        _sign_off_url(shadowing), data={"note": "Godt gået på besøget i Ærøskøbing"}
    )
    assert response.status_code == 302
    follow = client.get(PAGE).get_data(as_text=True)
    assert "Du har godkendt gennemførelsen af Følordning på virksomhedsbesøg" in follow

    db.session.expire_all()
    activity = db.session.get(PlanActivity, shadowing.id)
    assert activity.status is ActivityStatus.completed
    assert activity.completed_by_id == colleague.id
    assert activity.completed_at is not None
    assert activity.completion_note == "Godt gået på besøget i Ærøskøbing"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "plan.activity_sign_off")
    )
    assert event.actor_id == colleague.id
    assert event.before == {"activity_id": activity.id, "status": "planned"}
    assert event.after["status"] == "completed"
    # The owner is told, in Danish, in the app and by e-mail.
    notice = db.session.scalar(
        sa.select(Notification).where(
            Notification.user_id == setting.person.id,
            Notification.subject.contains("godkendt din læring"),
        )
    )
    assert notice.subject == "Ayse Yilmaz har godkendt din læring"
    assert "Godt gået på besøget i Ærøskøbing" in notice.body
    mail = db.session.scalar(
        sa.select(OutboxMail).where(
            OutboxMail.to_address == setting.person.email,
            OutboxMail.subject == notice.subject,
        )
    )
    assert mail is not None

    # The owner's plan shows who signed it off and when.
    login_as(setting.person)
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Godkendt af Ayse Yilmaz den" in page
    assert "Godt gået på besøget i Ærøskøbing" in page

    # Signed off once: a second time is refused in Danish, nothing changes.
    login_as(colleague)
    again = client.post(_sign_off_url(shadowing), data={"note": "Igen"})
    assert again.status_code == 409
    assert "allerede markeret som udført" in again.get_data(as_text=True)


def test_owner_is_told_in_their_own_language(client, login_as, setting, led):
    plan, shadowing, colleague = led
    setting.person.language = "en"
    _approve(setting, plan)
    login_as(colleague)
    assert client.post(_sign_off_url(shadowing)).status_code == 302
    subjects = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == setting.person.id)
    ).all()
    assert "Ayse Yilmaz signed off your learning" in subjects


def test_only_the_named_colleague_signs_off(
    client, login_as, setting, led, create_user
):
    plan, shadowing, _colleague = led
    _approve(setting, plan)
    other = create_user("employee", team=setting.team, name="Jonas Kristensen")
    login_as(other)
    assert "Følordning" not in client.get(PAGE).get_data(as_text=True)
    assert client.post(_sign_off_url(shadowing)).status_code == 404
    for who in (setting.person, setting.manager):
        login_as(who)
        assert client.post(_sign_off_url(shadowing)).status_code == 404
    assert client.post(f"{PAGE}/999999/godkend").status_code == 404
    db.session.expire_all()
    assert db.session.get(PlanActivity, shadowing.id).status is ActivityStatus.planned


def test_plan_not_yet_approved_cannot_be_signed_off(client, login_as, led):
    plan, shadowing, colleague = led
    login_as(colleague)
    assert "Følordning" not in client.get(PAGE).get_data(as_text=True)
    response = client.post(_sign_off_url(shadowing))
    assert response.status_code == 409
    assert "Planen er indsendt" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PlanActivity, shadowing.id).status is ActivityStatus.planned


def test_too_long_a_note_is_refused_with_nothing_saved(client, login_as, setting, led):
    plan, shadowing, colleague = led
    _approve(setting, plan)
    login_as(colleague)
    response = client.post(_sign_off_url(shadowing), data={"note": "æ" * 501})
    assert response.status_code == 400
    assert "højst være på 500 tegn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PlanActivity, shadowing.id).status is ActivityStatus.planned


def test_owner_alone_cannot_mark_it_done_but_the_manager_can(
    client, login_as, setting, led
):
    """The colleague signs off; the owner cannot do it for them. The manager may,
    e.g. when the colleague has left."""
    plan, shadowing, _colleague = led
    _approve(setting, plan)
    url = f"/planer/{plan.id}/aktiviteter/{shadowing.id}/udfoert"
    login_as(setting.person)
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Ayse Yilmaz godkender gennemførelsen" in page
    response = client.post(url)
    assert response.status_code == 409
    assert "Ayse Yilmaz, der står for aktiviteten" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PlanActivity, shadowing.id).status is ActivityStatus.planned

    login_as(setting.manager)
    assert client.post(url).status_code == 302
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Markeret som udført af Lars Jensen den" in page
