"""A plan in English (issue 15): a person whose account is in English reads the
competences of their plan by their English titles: the goals, the gaps, the
pickers of the goal and activity forms, the activities, the print page; their
English-reading manager likewise on the approval page and in the team export.
A Danish reader keeps the Danish titles."""

from core.db import db
from learning.plans import decisions, services
from learning.plans.models import ActivityKind

TITLES = {
    "B-V1": ("Viden om beskæftigelseslovgivningen", "Knowledge of employment law"),
    "B-H1": ("Kan føre en motiverende samtale", "Can hold a motivational interview"),
}


def _plan_in_english(setting, small_framework, plan_for):
    for code, (_, english) in TITLES.items():
        small_framework.by_code(code).title_en = english
    setting.person.language = "en"
    setting.manager.language = "en"
    plan = plan_for(setting.person)
    v1 = small_framework.by_code("B-V1")
    goal = services.add_goal(setting.person, plan, competence_id=v1.id, target_level=3)
    db.session.flush()
    services.add_activity(
        setting.person,
        plan,
        kind=ActivityKind.reading,
        title="Lovbogen",
        goal_id=goal.id,
    )
    db.session.commit()
    return plan


def _no_danish_titles(page: str) -> None:
    for danish, _ in TITLES.values():
        assert danish not in page


def test_the_owner_reads_the_plan_in_english(
    client, login_as, setting, small_framework, plan_for
):
    plan = _plan_in_english(setting, small_framework, plan_for)
    login_as(setting.person)

    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Knowledge of employment law to level" in page  # the goal
    assert "B-V1 Knowledge of employment law</option>" in page  # goal picker
    assert "Can hold a motivational interview: " in page  # a gap
    _no_danish_titles(page)

    adding = client.get(f"/planer/{plan.id}/tilfoej-aktiviteter").get_data(
        as_text=True
    )
    assert ">Knowledge of employment law</option>" in adding  # activity's goal
    _no_danish_titles(adding)

    printed = client.get(f"/planer/{plan.id}/udskriv").get_data(as_text=True)
    assert "Knowledge of employment law (target level 3)" in printed
    _no_danish_titles(printed)


def test_the_manager_approves_and_exports_in_english(
    client, login_as, setting, small_framework, plan_for
):
    plan = _plan_in_english(setting, small_framework, plan_for)
    decisions.submit(setting.person, plan)
    db.session.commit()
    login_as(setting.manager)

    review = client.get(f"/planer/{plan.id}/godkend").get_data(as_text=True)
    assert "Knowledge of employment law to level" in review
    _no_danish_titles(review)

    text = client.get("/planer/team.csv").data.decode("utf-8-sig")
    assert "Knowledge of employment law" in text
    _no_danish_titles(text)


def test_a_danish_reader_keeps_the_danish_titles(
    client, login_as, setting, small_framework, plan_for
):
    plan = _plan_in_english(setting, small_framework, plan_for)
    setting.person.language = "da"
    db.session.commit()
    login_as(setting.person)

    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "B-V1 Viden om beskæftigelseslovgivningen</option>" in page
    assert "Knowledge of employment law" not in page
