"""Every assessment page for every kind of visitor: own, team, jobcentre, admin."""

from dataclasses import dataclass

import pytest

from core.db import db
from core.people.models import UnitKind, User
from learning.competences import services as framework

VISITORS = (
    "self",
    "team_manager",
    "deputy_deputising",
    "deputy_idle",
    "coordinator_same",
    "coordinator_other",
    "employee_other",
    "manager_other",
    "provider_staff",
    "admin",
    "anonymous",
)


@dataclass
class World:
    member: User
    people: dict


@pytest.fixture
def world(small_framework, create_unit, create_user) -> World:
    jobcentre = create_unit(UnitKind.jobcentre)
    team = create_unit(UnitKind.team, parent=jobcentre)
    other_team = create_unit(UnitKind.team, parent=jobcentre)
    member = create_user("employee", team=team)
    framework.set_user_profiles(None, member, [small_framework.consultant])
    manager = create_user("manager", team=team)
    deputy = create_user("manager", team=team)
    idle_team = create_unit(UnitKind.team, parent=jobcentre)
    idle_deputy = create_user("manager", team=idle_team)
    team.manager, team.deputy, team.deputising = manager, deputy, True
    idle_team.manager, idle_team.deputy = create_user("manager"), idle_deputy
    db.session.commit()
    people = {
        "self": member,
        "team_manager": manager,
        "deputy_deputising": deputy,
        "deputy_idle": idle_deputy,
        "coordinator_same": create_user("coordinator", team=other_team),
        "coordinator_other": "coordinator",
        "employee_other": "employee",
        "manager_other": "manager",
        "provider_staff": "provider_staff",
        "admin": "admin",
    }
    return World(member, people)


def visit(client, login_as, world, who, url):
    if who != "anonymous":
        login_as(world.people[who])
    return client.get(url.format(member=world.member.id))


PROFILE = {
    "self": 200,
    "team_manager": 200,
    "deputy_deputising": 200,
    "coordinator_same": 200,
    "admin": 200,
    "anonymous": 302,
}
SELF = {"self": 200, "anonymous": 302}
MANAGER = {"team_manager": 200, "deputy_deputising": 200, "anonymous": 302}
TEAM = {
    "team_manager": 200,
    "deputy_deputising": 200,
    "manager_other": 200,
    "admin": 200,
    "anonymous": 302,
}
JOBCENTRE = {
    "coordinator_same": 200,
    "coordinator_other": 200,
    "admin": 200,
    "anonymous": 302,
}
OWN_PROFILE = dict.fromkeys(VISITORS, 200) | {"anonymous": 302}

ROUTES = [
    ("/kompetencer/vurdering/profil", OWN_PROFILE),
    ("/kompetencer/vurdering/personer/{member}/profil", PROFILE),
    ("/kompetencer/vurdering/personer/{member}/selv", SELF),
    ("/kompetencer/vurdering/personer/{member}/leder", MANAGER),
    ("/kompetencer/vurdering/personer/{member}/aftalt", MANAGER),
    ("/kompetencer/vurdering/team", TEAM),
    ("/kompetencer/vurdering/jobcentre", JOBCENTRE),
]


@pytest.mark.parametrize("who", VISITORS)
@pytest.mark.parametrize(("url", "allowed"), ROUTES, ids=[r[0] for r in ROUTES])
def test_access(client, login_as, world, who, url, allowed):
    response = visit(client, login_as, world, who, url)
    assert response.status_code == allowed.get(who, 403)
    if response.status_code == 302:
        assert "/log-ind" in response.headers["Location"]


@pytest.mark.parametrize("who", ["self", "team_manager", "employee_other", "admin"])
def test_posting_a_round_follows_the_same_rules(client, login_as, world, who):
    code = world.member.id
    source = "selv" if who == "self" else "leder"
    if who != "anonymous":
        login_as(world.people[who])
    response = client.post(f"/kompetencer/vurdering/personer/{code}/{source}", data={})
    allowed = {"self": 400, "team_manager": 400}  # allowed in, but nothing rated
    assert response.status_code == allowed.get(who, 403)


def test_an_unknown_person_is_not_found(client, login_as, world):
    login_as("admin")
    url = "/kompetencer/vurdering/personer/999999/profil"
    assert client.get(url).status_code == 404


def test_an_unknown_kind_of_rating_is_not_found(client, login_as, world):
    login_as(world.member)
    url = f"/kompetencer/vurdering/personer/{world.member.id}/boss"
    assert client.get(url).status_code == 404


def test_another_team_in_the_query_is_forbidden(client, login_as, world, create_unit):
    login_as(world.people["team_manager"])
    other = create_unit()
    assert client.get(f"/kompetencer/vurdering/team?team={other.id}").status_code == 403
    assert client.get("/kompetencer/vurdering/team?team=987654").status_code == 404


def test_a_bad_sort_order_is_a_400(client, login_as, world):
    login_as(world.people["team_manager"])
    assert client.get("/kompetencer/vurdering/team?sort=drop").status_code == 400


def test_a_coordinator_cannot_open_another_jobcentre(client, login_as, world):
    login_as("coordinator")
    other = world.member.team.parent_id
    url = f"/kompetencer/vurdering/jobcentre?jobcentre={other}"
    assert client.get(url).status_code == 403


def test_an_admin_chooses_any_jobcentre(client, login_as, world):
    login_as("admin")
    other = world.member.team.parent_id
    page = client.get(f"/kompetencer/vurdering/jobcentre?jobcentre={other}")
    assert page.status_code == 200
    assert world.member.name in page.text
