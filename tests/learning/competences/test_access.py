"""Every framework page for every role: coordinators and admins maintain it."""

import pytest

from core.db import db
from core.people.models import UnitKind
from learning.competences.models import Area, Competence, Profile

ROLES = ("employee", "manager", "coordinator", "provider_staff", "admin", "anonymous")
MAINTAINERS = {"coordinator": 200, "admin": 200, "anonymous": 302}


def routes(fw):
    c, p = fw.competences[0], fw.consultant
    area = c.area_id
    return [
        ("get", "/kompetencer/ramme/", MAINTAINERS),
        ("get", "/kompetencer/ramme/ny", MAINTAINERS),
        ("get", f"/kompetencer/ramme/{c.id}", MAINTAINERS),
        ("get", "/kompetencer/ramme/omraader/ny", MAINTAINERS),
        ("get", f"/kompetencer/ramme/omraader/{area}", MAINTAINERS),
        ("get", "/kompetencer/ramme/skala", MAINTAINERS),
        ("get", "/kompetencer/ramme/profiler/ny", MAINTAINERS),
        ("get", f"/kompetencer/ramme/profiler/{p.id}", MAINTAINERS),
        ("get", "/kompetencer/ramme/import", MAINTAINERS),
        ("get", "/kompetencer/ramme/eksport.csv", MAINTAINERS),
        ("get", "/kompetencer/ramme/eksport.json", MAINTAINERS),
        (
            "post",
            f"/kompetencer/ramme/{c.id}/fjern",
            {"coordinator": 302, "admin": 302, "anonymous": 302},
        ),
        (
            "post",
            f"/kompetencer/ramme/{c.id}/genindsaet",
            {"coordinator": 302, "admin": 302, "anonymous": 302},
        ),
        (
            "post",
            "/kompetencer/ramme/import/anvend",
            {"coordinator": 400, "admin": 400, "anonymous": 302},
        ),
    ]


ROUTE_COUNT = 14


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("n", range(ROUTE_COUNT))
def test_framework_pages_access(client, login_as, small_framework, role, n):
    method, url, allowed = routes(small_framework)[n]
    if role != "anonymous":
        login_as(role)
    response = getattr(client, method)(url)
    assert response.status_code == allowed.get(role, 403), url
    if response.status_code == 302 and role == "anonymous":
        assert "/log-ind" in response.headers["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("self", 403),
        ("coordinator_same", 200),
        ("coordinator_other", 403),
        ("manager", 403),
        ("admin", 200),
        ("anonymous", 302),
        ("provider_staff", 403),
    ],
)
def test_job_functions_page_access(
    client, login_as, small_framework, create_unit, create_user, who, status
):
    jobcentre = create_unit(UnitKind.jobcentre)
    team = create_unit(UnitKind.team, parent=jobcentre)
    person = create_user("employee", team=team)
    if who == "self":
        login_as(person)
    elif who == "coordinator_same":
        login_as(create_user("coordinator", team=create_unit(parent=jobcentre)))
    elif who == "coordinator_other":
        login_as("coordinator")
    elif who == "manager":
        team.manager = login_as("manager", team=team)
        db.session.commit()
    elif who != "anonymous":
        login_as(who)
    url = f"/kompetencer/ramme/personer/{person.id}/funktioner"
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/kompetencer/ramme/999999",
        "/kompetencer/ramme/omraader/999999",
        "/kompetencer/ramme/profiler/999999",
        "/kompetencer/ramme/eksport.xml",
    ],
)
def test_unknown_things_are_not_found(client, login_as, small_framework, url):
    login_as("coordinator")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["employee", "manager", "provider_staff"])
@pytest.mark.parametrize(
    "url",
    [
        "/kompetencer/ramme/ny",
        "/kompetencer/ramme/omraader/ny",
        "/kompetencer/ramme/skala",
        "/kompetencer/ramme/profiler/ny",
    ],
)
def test_posting_framework_forms_is_refused_to_others(
    client, login_as, small_framework, role, url
):
    login_as(role)
    data = {
        "code": "X",
        "key": "x",
        "title": "X",
        "name": "X",
        "label_0": "A",
        "label_1": "B",
        "kind": "action",
        "layer": "basic",
    }
    assert client.post(url, data=data).status_code == 403
    assert services_count() == (2, 4, 2)


def services_count():
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Area, Competence, Profile)
    )
