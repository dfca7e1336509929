"""The coordinator's key-person pages: a jobcentre's key persons and the areas
that lack one, appointing, handing over and relieving (audited, in Danish), and
the overview of a region's jobcentres."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.people.advisers import set_adviser
from core.people.models import KeyPerson, SpecialistArea, UnitKind
from core.people.specialists import appoint_key_person


@pytest.fixture
def region(create_unit):
    return create_unit(UnitKind.region, name="Region Øst")


@pytest.fixture
def jobcentre(create_unit, region):
    return create_unit(UnitKind.jobcentre, name="Jobcenter Ærø", parent=region)


@pytest.fixture
def team(create_unit, jobcentre):
    return create_unit(name="Borgerteamet", parent=jobcentre)


@pytest.fixture
def coordinator(create_user, team):
    return create_user("coordinator", team=team, name="Hanne Koordinator")


@pytest.fixture
def colleague(create_user, team):
    return create_user("employee", team=team, name="Søren Æbelø")


def _appoint(coordinator, person, area=SpecialistArea.eures):
    key = appoint_key_person(coordinator, person, area, person.team.parent)
    db.session.commit()
    return key


def test_the_jobcentre_page_shows_the_areas_without_a_key_person(
    client, login_as, coordinator, colleague, jobcentre
):
    _appoint(coordinator, colleague, SpecialistArea.disability)
    login_as(coordinator)
    page = client.get(f"/noeglepersoner/jobcenter/{jobcentre.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nøglepersoner i Jobcenter Ærø" in text
    assert "Søren Æbelø" in text
    assert "Ingen nøgleperson for: Ligestilling, Etniske minoriteter, EURES." in text


def test_the_coordinator_appoints_a_colleague(
    client, login_as, coordinator, colleague, jobcentre
):
    login_as(coordinator)
    answer = client.post(
        f"/noeglepersoner/jobcenter/{jobcentre.id}/udpeg",
        data={"person_id": colleague.id, "area": "eures"},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert "Søren Æbelø er nu nøgleperson for EURES." in answer.get_data(as_text=True)
    key = db.session.scalar(sa.select(KeyPerson))
    assert (key.user_id, key.area, key.jobcentre_id) == (
        colleague.id,
        SpecialistArea.eures,
        jobcentre.id,
    )
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "key_person.set")
    )
    assert event.actor_id == coordinator.id


def test_appointing_twice_says_so_in_danish(
    client, login_as, coordinator, colleague, jobcentre
):
    _appoint(coordinator, colleague)
    login_as(coordinator)
    answer = client.post(
        f"/noeglepersoner/jobcenter/{jobcentre.id}/udpeg",
        data={"person_id": colleague.id, "area": "eures"},
    )
    assert answer.status_code == 400
    assert "Personen er allerede jobcentrets nøgleperson på dette område." in (
        answer.get_data(as_text=True)
    )


@pytest.mark.parametrize("person_id", ["abc", "", "999999"])
def test_a_person_not_on_the_list_is_refused(
    client, login_as, coordinator, jobcentre, person_id
):
    login_as(coordinator)
    answer = client.post(
        f"/noeglepersoner/jobcenter/{jobcentre.id}/udpeg",
        data={"person_id": person_id, "area": "eures"},
    )
    assert answer.status_code == 400
    assert db.session.scalars(sa.select(KeyPerson)).all() == []


def test_a_coordinator_cannot_appoint_in_another_jobcentre(
    client, login_as, create_user, create_unit, region, colleague, jobcentre
):
    other_jobcentre = create_unit(UnitKind.jobcentre, parent=region)
    other = create_user("coordinator", team=create_unit(parent=other_jobcentre))
    login_as(other)
    answer = client.post(
        f"/noeglepersoner/jobcenter/{jobcentre.id}/udpeg",
        data={"person_id": colleague.id, "area": "eures"},
    )
    assert answer.status_code in (403, 404)
    assert db.session.scalars(sa.select(KeyPerson)).all() == []


def test_a_coordinator_cannot_relieve_or_hand_over_in_another_jobcentre(
    client, login_as, create_user, create_unit, region, coordinator, colleague
):
    key = _appoint(coordinator, colleague)
    other_jobcentre = create_unit(UnitKind.jobcentre, parent=region)
    other = create_user("coordinator", team=create_unit(parent=other_jobcentre))
    login_as(other)
    assert client.post(f"/noeglepersoner/{key.id}/fratraed").status_code == 403
    assert client.get(f"/noeglepersoner/{key.id}/afloes").status_code == 403
    assert db.session.scalars(sa.select(KeyPerson.id)).all() == [key.id]


def test_an_employee_cannot_appoint_at_all(
    client, login_as, coordinator, colleague, jobcentre, team
):
    key = _appoint(coordinator, colleague)
    login_as("employee", team=team)
    page = client.get(f"/noeglepersoner/jobcenter/{jobcentre.id}")
    assert page.status_code == 200  # they see their jobcentre's key persons
    assert "Udpeg en nøgleperson" not in page.get_data(as_text=True)
    answer = client.post(
        f"/noeglepersoner/jobcenter/{jobcentre.id}/udpeg",
        data={"person_id": colleague.id, "area": "disability"},
    )
    assert answer.status_code == 403
    assert client.post(f"/noeglepersoner/{key.id}/fratraed").status_code == 403
    assert client.get("/noeglepersoner/").status_code == 403
    assert db.session.scalars(sa.select(KeyPerson.id)).all() == [key.id]


def test_the_coordinator_hands_over_and_relieves(
    client, login_as, create_user, coordinator, colleague, team
):
    key = _appoint(coordinator, colleague)
    successor = create_user("employee", team=team, name="Åse Østergaard")
    login_as(coordinator)
    assert client.get(f"/noeglepersoner/{key.id}/afloes").status_code == 200
    answer = client.post(
        f"/noeglepersoner/{key.id}/afloes",
        data={"person_id": successor.id},
        follow_redirects=True,
    )
    assert "Åse Østergaard har overtaget rollen som nøgleperson for EURES." in (
        answer.get_data(as_text=True)
    )
    (key,) = db.session.scalars(sa.select(KeyPerson)).all()
    assert key.user_id == successor.id
    answer = client.post(f"/noeglepersoner/{key.id}/fratraed", follow_redirects=True)
    assert "Åse Østergaard er ikke længere nøgleperson for EURES." in (
        answer.get_data(as_text=True)
    )
    assert db.session.scalars(sa.select(KeyPerson)).all() == []
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == "key_persons")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["key_person.set", "key_person.end", "key_person.set"] + [
        "key_person.end"
    ]


def test_the_region_sees_which_jobcentres_lack_a_key_person(
    client, login_as, create_user, create_unit, region, coordinator, colleague
):
    _appoint(coordinator, colleague)  # Ærø has EURES
    create_unit(UnitKind.jobcentre, name="Jobcenter Bornholm", parent=region)
    create_unit(UnitKind.jobcentre, name="Jobcenter Skagen")
    adviser = create_user("coordinator")  # the region's, in no jobcentre
    set_adviser(adviser, region)
    db.session.commit()
    login_as(adviser)
    page = client.get("/noeglepersoner/?mangler=eures")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Jobcenter Bornholm" in text
    assert "Jobcenter Ærø" not in text  # it has a key person for EURES
    assert "EURES: 1 af 2 jobcentre mangler en nøgleperson." in text
    everything = client.get("/noeglepersoner/").get_data(as_text=True)
    assert "Jobcenter Ærø" in everything
    assert "Søren Æbelø" in everything
    assert "Jobcenter Skagen" not in everything  # not a region the adviser sees


def test_an_unknown_area_filter_is_a_danish_400(client, login_as, coordinator):
    login_as(coordinator)
    answer = client.get("/noeglepersoner/?mangler=skak")
    assert answer.status_code == 400
    assert "Vælg et af de fire specialområder." in answer.get_data(as_text=True)


def test_the_overview_reads_a_fixed_number_of_rows(
    client, login_as, create_user, create_unit, region, coordinator, count_queries
):
    _appoint(coordinator, create_user("employee", team=coordinator.team))
    login_as(coordinator)
    client.get("/noeglepersoner/")
    with count_queries() as few:
        client.get("/noeglepersoner/")
    for _n in range(6):
        jobcentre = create_unit(UnitKind.jobcentre, parent=region)
        person = create_user("employee", team=create_unit(parent=jobcentre))
        appoint_key_person(
            create_user("admin"), person, SpecialistArea.eures, jobcentre
        )
        db.session.commit()
    with count_queries() as many:
        assert client.get("/noeglepersoner/").status_code == 200
    assert len(many) == len(few), "\n\n".join(many)
