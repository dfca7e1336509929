"""Taking an activity out of a plan asks first (issue 15): a page, or with
JavaScript a dialog on the plan's page, that says what goes with it."""

from core.db import db
from learning.plans import services
from learning.plans.models import PlanActivity


def test_removing_an_activity_asks_first_and_asking_changes_nothing(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    activity = services.add_session(setting.person, plan, setting.sessions[0])
    db.session.commit()
    activity_id = activity.id
    login_as(setting.person)
    path = f"/planer/{plan.id}/aktiviteter/{activity_id}/fjern"
    detail = client.get(f"/planer/{plan.id}").text
    assert f'href="{path}" data-confirm="remove-activity-{activity_id}"' in detail
    page = client.get(path)
    assert page.status_code == 200
    assert "<h1>Vil du fjerne aktiviteten?</h1>" in page.text
    assert "Kursus B-V1 bliver taget ud af planen sammen med sin udgift." in page.text
    assert db.session.get(PlanActivity, activity_id) is not None

    assert client.post(path).status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanActivity, activity_id) is None


def test_only_those_who_edit_the_plan_are_asked(client, login_as, setting, plan_for):
    plan = plan_for(setting.person)
    activity = services.add_session(setting.person, plan, setting.sessions[0])
    db.session.commit()
    login_as(setting.manager)
    path = f"/planer/{plan.id}/aktiviteter/{activity.id}/fjern"
    assert client.get(path).status_code == 403
