"""Not assessed is not a gap, on the pages people land on: the dashboard panel of a
person nobody has rated, and the team page of their manager, invite to assess
instead of reporting no gaps."""

import pytest

from core.db import db
from learning.assessments.models import RatingSource
from learning.competences import services as framework


@pytest.fixture
def team(small_framework, create_unit, create_user, rate):
    unit = create_unit()
    manager = create_user("manager", team=unit, name="Mette Leder")
    unit.manager = manager
    members = []
    for name in ("Anna Ansat", "Ny Kollega"):
        member = create_user("employee", team=unit, name=name)
        framework.set_user_profiles(None, member, [small_framework.consultant])
        members.append(member)
    db.session.commit()
    rate(small_framework, manager, RatingSource.self, {"B-V1": 3})
    return small_framework, manager, *members


def panel(page: str) -> str:
    start = page.index('id="panel-competences"')
    return page[start : page.index("</section>", start)]


def test_a_new_colleagues_dashboard_invites_to_assess_instead_of_no_gaps(
    client, login_as, team
):
    _fw, _manager, _anna, newcomer = team
    login_as(newcomer)
    shown = panel(client.get("/").text)
    assert "0 af dine kompetencer er under målet" not in shown
    assert "Ingen af dine 4 kompetencer er vurderet endnu" in shown
    assert "dine gab kendes ikke" in shown
    assert 'href="/kompetencer/vurdering/selv"' in shown


def test_the_dashboard_counts_the_unassessed_apart_from_the_gaps(
    client, login_as, team, rate
):
    fw, _manager, anna, _newcomer = team
    rate(fw, anna, RatingSource.self, {"B-V1": 1, "B-H1": 3})
    login_as(anna)
    shown = panel(client.get("/").text)
    assert "1 af dine kompetencer er under målet." in shown  # B-V1, target 3
    assert "2 kompetencer er ikke vurderet endnu" in shown  # B-A1 and S-VK1


def test_the_team_page_invites_the_manager_to_assess_who_nobody_rated(
    client, login_as, team, rate
):
    fw, manager, anna, newcomer = team
    rate(fw, anna, RatingSource.self, {"B-V1": 1})
    login_as(manager)
    page = client.get("/kompetencer/vurdering/team").text
    invitation = page[page.index('id="not-assessed"') : page.index('id="heat-map"')]
    assert "1 person er ikke vurderet endnu" in invitation
    assert "Ny Kollega" in invitation
    assert "Anna Ansat" not in invitation  # rated once: her gaps are shown
    assert f"/kompetencer/vurdering/personer/{newcomer.id}/leder" in invitation


def test_a_fully_rated_team_gets_no_invitation(client, login_as, team, rate):
    fw, manager, anna, newcomer = team
    for person in (anna, newcomer):
        rate(fw, person, RatingSource.self, {"B-V1": 3})
    login_as(manager)
    assert 'id="not-assessed"' not in client.get("/kompetencer/vurdering/team").text
