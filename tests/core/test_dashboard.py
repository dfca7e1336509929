"""The dashboard says which roles a person holds, key-person areas included."""

from core.db import db
from core.people.models import KeyPerson, SpecialistArea


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
