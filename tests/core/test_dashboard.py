"""The dashboard says which roles a person holds, key-person areas included."""

from core.db import db
from core.people.models import KeyPerson, Role, SpecialistArea, UnitKind


def test_a_key_person_sees_the_area_among_the_roles(
    client, login_as, create_user, create_unit
):
    person = create_user("employee", team=create_unit(), name="Ayse Yilmaz")
    db.session.add(
        KeyPerson(
            user=person,
            area=SpecialistArea.ethnic_minorities,
            jobcentre_id=person.team.parent_id,
        )
    )
    db.session.commit()
    login_as(person)
    page = " ".join(client.get("/").text.split())
    assert "Dine roller: Medarbejder, Nøgleperson: etniske minoriteter." in page


def test_someone_who_is_no_key_person_sees_only_the_roles(
    client, login_as, create_user
):
    login_as(create_user("employee", "manager"))
    page = " ".join(client.get("/").text.split("<main")[1].split())
    assert "Nøgleperson" not in page
    assert "Dine roller: Medarbejder, Leder." in page


def test_the_team_its_jobcentre_and_every_key_area_come_in_one_read(
    client, login_as, create_user, create_unit, count_queries
):
    jobcentre = create_unit(UnitKind.jobcentre, name="Jobcenter Ærø")
    person = create_user(
        "employee", "manager", team=create_unit(name="Team Øst", parent=jobcentre)
    )
    for area in (SpecialistArea.ethnic_minorities, SpecialistArea.disability):
        db.session.add(KeyPerson(user=person, area=area, jobcentre_id=jobcentre.id))
    db.session.commit()
    login_as(person)
    client.get("/")
    with count_queries() as plain:
        page = " ".join(client.get("/").text.split())
    assert "Team: Team Øst, Jobcenter Ærø." in page
    for area in ("etniske minoriteter", "handicap"):
        assert f"Nøgleperson: {area}" in page
    # Not a key person while no longer an employee: the appointment does not count.
    db.session.delete(next(r for r in person.role_rows if r.role is Role.employee))
    db.session.commit()
    with count_queries() as fewer:
        page = " ".join(client.get("/").text.split())
    assert "Nøgleperson" not in page
    assert "Team: Team Øst, Jobcenter Ærø." in page
    assert len(fewer) <= len(plain)
    # One read for the areas and the team with its jobcentre; no lazy load.
    assert len([s for s in plain if "key_persons" in s]) == 1
    assert not [s for s in plain if "WHERE org_units.id = " in " ".join(s.split())]


def test_someone_without_a_team_sees_no_team(client, login_as, create_user):
    login_as(create_user("employee"))
    page = " ".join(client.get("/").text.split("<main")[1].split())
    assert "Team:" not in page
