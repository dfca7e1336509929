"""Coordinators maintain areas, competences, the scale, profiles and job functions."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from learning.assessments.models import RatingSource
from learning.competences import services
from learning.competences.models import (
    Area,
    Competence,
    CompetenceKind,
    Layer,
    Requirement,
    ScaleLevel,
    UserProfile,
)


def test_a_coordinator_creates_an_area_and_a_competence(client, login_as, app):
    login_as("coordinator")
    response = client.post(
        "/kompetencer/ramme/omraader/ny",
        data={"code": "IT", "title": "IT-værktøjer", "title_en": "IT tools"},
    )
    assert response.status_code == 302
    area = db.session.scalar(sa.select(Area).where(Area.code == "IT"))
    response = client.post(
        "/kompetencer/ramme/ny",
        data={
            "code": "IT-1",
            "title": "Kan bruge fagsystemet",
            "kind": "action",
            "layer": "basic",
            "area_id": str(area.id),
        },
    )
    assert response.status_code == 302
    competence = db.session.scalar(
        sa.select(Competence).where(Competence.code == "IT-1")
    )
    assert (competence.kind, competence.layer, competence.area_id) == (
        CompetenceKind.action,
        Layer.basic,
        area.id,
    )
    page = client.get("/kompetencer/ramme/").text
    assert "Kan bruge fagsystemet" in page
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) >= 2


def test_a_taken_code_is_refused_at_the_field(client, login_as, small_framework):
    login_as("coordinator")
    response = client.post(
        "/kompetencer/ramme/ny",
        data={
            "code": "B-V1",
            "title": "Dublet",
            "kind": "knowledge",
            "layer": "basic",
            "area_id": str(small_framework.competences[0].area_id),
        },
    )
    assert response.status_code == 200
    assert "Et andet element har allerede koden B-V1." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Competence.id))) == 4


def test_a_competence_in_use_is_retired_and_an_unused_one_deleted(
    client, login_as, small_framework, create_user, rate
):
    fw = small_framework
    login_as("coordinator")
    area = fw.competences[0].area
    unused = services.save_competence(
        None,
        None,
        code="NEW",
        title="Ny",
        kind=CompetenceKind.knowledge,
        layer=Layer.basic,
        area=area,
    )
    db.session.commit()
    unused_id = unused.id
    client.post(f"/kompetencer/ramme/{unused_id}/fjern")
    db.session.expire_all()
    assert db.session.get(Competence, unused_id) is None
    person = create_user("employee")
    rate(fw, person, RatingSource.self, {"B-A1": 2})
    response = client.post(
        f"/kompetencer/ramme/{fw.by_code('B-A1').id}/fjern", follow_redirects=True
    )
    assert "den er udgået" in response.text
    db.session.expire_all()
    assert db.session.get(Competence, fw.by_code("B-A1").id).retired is True
    client.post(f"/kompetencer/ramme/{fw.by_code('B-A1').id}/genindsaet")
    db.session.expire_all()
    assert db.session.get(Competence, fw.by_code("B-A1").id).retired is False


def test_the_scale_can_be_relabelled_and_grown(client, login_as, small_framework):
    login_as("coordinator")
    data = {"name": "Skala"}
    for value, label in enumerate(
        ["Ingen", "Lidt", "Noget", "Meget", "Ekspert", "Guru"]
    ):
        data[f"label_{value}"] = label
        data[f"description_{value}"] = f"{label} ..."
    assert client.post("/kompetencer/ramme/skala", data=data).status_code == 302
    labels = db.session.scalars(sa.select(ScaleLevel.label).order_by(ScaleLevel.value))
    assert list(labels) == ["Ingen", "Lidt", "Noget", "Meget", "Ekspert", "Guru"]


def test_a_level_used_by_targets_cannot_be_removed(client, login_as, small_framework):
    fw = small_framework
    services.set_requirements(None, fw.consultant, {fw.by_code("S-VK1").id: (4, 2)})
    db.session.commit()
    login_as("coordinator")
    data = {"name": "Kort", "remove_top": "y"}
    data |= {f"label_{v}": label for v, label in enumerate("ABCDE")}
    response = client.post("/kompetencer/ramme/skala", data=data)
    assert response.status_code == 200
    assert "Niveau 4 bruges af vurderinger eller mål" in response.text
    assert db.session.scalar(sa.select(sa.func.count(ScaleLevel.id))) == 5


def test_a_profile_gets_its_requirements(client, login_as, small_framework):
    fw = small_framework
    login_as("coordinator")
    data = {
        "key": "youth",
        "title": "Ungevejleder",
        f"target_{fw.by_code('B-V1').id}": "4",
        f"priority_{fw.by_code('B-V1').id}": "3",
        f"target_{fw.by_code('S-VK1').id}": "",
        f"priority_{fw.by_code('S-VK1').id}": "2",
    }
    assert client.post("/kompetencer/ramme/profiler/ny", data=data).status_code == 302
    reqs = db.session.execute(
        sa.select(Requirement.competence_id, Requirement.target, Requirement.priority)
        .join(Requirement.profile)
        .where(Requirement.profile.has(key="youth"))
    ).all()
    assert reqs == [(fw.by_code("B-V1").id, 4, 3)]


def test_a_coordinator_sets_a_persons_job_functions(
    client, login_as, small_framework, create_unit, create_user
):
    team = create_unit()
    person = create_user("employee", team=team)
    login_as(create_user("coordinator", team=create_unit(parent=team.parent)))
    url = f"/kompetencer/ramme/personer/{person.id}/funktioner"
    data = {"profiles": [str(small_framework.consultant.id)]}
    assert client.post(url, data=data).status_code == 302
    assert db.session.scalars(sa.select(UserProfile.profile_id)).all() == [
        small_framework.consultant.id
    ]


@pytest.mark.parametrize("page", ["index", "profile"])
def test_framework_pages_issue_the_same_queries_for_few_and_many_competences(
    client, login_as, small_framework, count_queries, page
):
    fw = small_framework
    login_as("coordinator")
    area = fw.competences[0].area
    counts = []
    for extra in (5, 50):
        for n in range(extra):
            services.save_competence(
                None,
                None,
                code=f"X{extra}-{n}",
                title=f"Ekstra {n}",
                kind=CompetenceKind.action,
                layer=Layer.specific,
                area=area,
            )
        db.session.commit()
        url = (
            "/kompetencer/ramme/"
            if page == "index"
            else f"/kompetencer/ramme/profiler/{fw.consultant.id}"
        )
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
