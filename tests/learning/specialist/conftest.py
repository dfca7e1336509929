"""A small specialist world for the knowledge tests: a region with two
jobcentres, the EURES function and its staff, key persons, a colleague, and
uploads kept in the test's own folder."""

from dataclasses import dataclass

import pytest

from core.db import db
from core.people.models import KeyPerson, SpecialistArea, UnitKind, User
from core.people.specialists import SpecialistFunction, add_staff
from learning.specialist import services
from learning.specialist.models import ItemKind


@dataclass
class Knowledge:
    function: SpecialistFunction
    people: dict[str, User]
    competences: list

    def item(self, who="key", *, publish=False, kind=ItemKind.guidance, **fields):
        """An EURES item written by `who` through the service."""
        values = {
            "title": "Vejledning om EURES",
            "summary": "Kort om EURES",
            "body": "Første afsnit om job i Europa.",
            "competence_ids": [self.competences[0].id],
        } | fields
        item = services.create_item(
            self.people[who], SpecialistArea.eures, kind, **values
        )
        if publish:
            services.change_status(self.people[who], item, "publish")
        db.session.commit()
        return item


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "SPECIALIST_UPLOAD_DIR", str(folder))
    return folder


@pytest.fixture
def knowledge(create_unit, create_user, small_framework, upload_dir) -> Knowledge:
    region = create_unit(UnitKind.region, name="Region Nordjylland")
    aalborg = create_unit(UnitKind.jobcentre, name="Jobcenter Aalborg", parent=region)
    hjoerring = create_unit(
        UnitKind.jobcentre, name="Jobcenter Hjørring", parent=region
    )

    def employee(jobcentre, name, *roles):
        team = create_unit(parent=jobcentre)
        return create_user(*(roles or ("employee",)), team=team, name=name)

    people = {
        "key": employee(aalborg, "Malene Kragh"),
        "other_key": employee(hjoerring, "Søren Ørsted"),
        "staff": employee(aalborg, "Søs Specialist"),
        "disability_key": employee(hjoerring, "Rikke Johansen"),
        "colleague": employee(aalborg, "Brian Nørgaard"),
        "coordinator": employee(aalborg, "Hanne Holm", "employee", "coordinator"),
        "admin": create_user("admin", name="Adam Admin"),
    }
    db.session.add_all(
        [
            KeyPerson(user=people["key"], area=SpecialistArea.eures, jobcentre=aalborg),
            KeyPerson(
                user=people["other_key"],
                area=SpecialistArea.eures,
                jobcentre=hjoerring,
            ),
            KeyPerson(
                user=people["disability_key"],
                area=SpecialistArea.disability,
                jobcentre=hjoerring,
            ),
        ]
    )
    function = SpecialistFunction(
        area=SpecialistArea.eures,
        region=region,
        name="EURES Nordjylland",
        contact_email="eures@nord.demo.dk",
    )
    db.session.add(function)
    db.session.flush()
    add_staff(None, function, people["staff"])
    db.session.commit()
    return Knowledge(function, people, small_framework.competences)
