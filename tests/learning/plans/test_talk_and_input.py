"""The talk's agenda, and input the plan refuses: a target level off the scale,
a change to a plan already sent for approval."""

import sqlalchemy as sa

from core.db import db
from learning.assessments.models import RatingSource
from learning.plans import decisions, services
from learning.plans.models import ActivityKind, PlanGoal, PlanStatus


def test_competences_self_and_manager_see_two_levels_apart_are_on_the_agenda(
    client, login_as, setting, plan_for, small_framework, rate
):
    person, manager = setting.person, setting.manager
    # Self 2 / 1 / 2 (the setting); the manager: 4 on B-V1 (two apart), 2 on
    # B-H1 (one apart), 4 on S-VK1 (two apart).
    rate(
        small_framework,
        person,
        RatingSource.manager,
        {"B-V1": 4, "B-H1": 2, "S-VK1": 4},
        by=manager,
    )
    plan = plan_for(person)
    for who in (person, manager):
        login_as(who)
        page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
        agenda = page.split("På dagsordenen", 1)[1].split("</ul>", 1)[0]
        assert "mindst to niveauer forskelligt" in agenda
        assert "Viden om beskæftigelseslovgivningen" in agenda
        assert "Kan opsøge og servicere virksomheder" in agenda
        assert "Kan føre en motiverende samtale" not in agenda


def test_no_disagreement_says_so(client, login_as, setting, plan_for):
    plan = plan_for(setting.person)
    login_as(setting.person)
    page = client.get(f"/planer/{plan.id}").get_data(as_text=True)
    assert "Ingen kompetencer, hvor selv- og ledervurdering er to niveauer" in page


def test_a_target_level_off_the_scale_is_refused_in_danish(
    client, login_as, setting, plan_for, small_framework
):
    plan = plan_for(setting.person)
    login_as(setting.person)
    competence = small_framework.by_code("B-V1")
    for level in ("9", "0", "-1", "to"):
        response = client.post(
            f"/planer/{plan.id}/maal",
            data={"competence_id": competence.id, "target_level": level},
        )
        assert response.status_code == 400, level
        page = response.get_data(as_text=True)
        assert "niveau" in page.lower(), level
    assert db.session.scalar(sa.select(sa.func.count(PlanGoal.id))) == 0


def test_a_submitted_plan_cannot_be_changed_by_its_owner(
    client, login_as, setting, plan_for
):
    plan = plan_for(setting.person)
    services.add_goal(setting.person, plan, text="Bedre til møder")
    services.add_activity(
        setting.person, plan, kind=ActivityKind.reading, title="Bog om møder"
    )
    decisions.submit(setting.person, plan)
    db.session.commit()
    login_as(setting.person)
    response = client.post(f"/planer/{plan.id}/maal", data={"text": "Endnu et mål"})
    assert response.status_code in (403, 409)
    assert "kan ikke længere ændres" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [g.text for g in plan.goals] == ["Bedre til møder"]
    assert plan.status is PlanStatus.submitted
