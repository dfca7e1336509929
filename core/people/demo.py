"""Load the demo organisation and people from core/people/demo/organisation.json."""

import json
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from core.db import db
from core.people import services
from core.people.models import (
    EmployerKind,
    KeyPerson,
    OrgUnit,
    Role,
    SpecialistArea,
    UnitKind,
    User,
)

DEMO_FILE = Path(__file__).parent / "demo" / "organisation.json"
DEMO_PASSWORD = "demo-adgang-2026"


def load_demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def _unit(kind: UnitKind, name: str, parent: OrgUnit | None) -> OrgUnit:
    same_parent = (
        OrgUnit.parent_id == parent.id if parent else OrgUnit.parent_id.is_(None)
    )
    unit = db.session.scalar(
        sa.select(OrgUnit).where(
            OrgUnit.kind == kind, OrgUnit.name == name, same_parent
        )
    )
    if unit is None:
        unit = services.create_unit(None, kind=kind, name=name, parent=parent)
    return unit


def seed_people() -> dict[str, User]:
    """Create or update the demo organisation; returns people by their demo key."""
    data = load_demo_data()
    teams: dict[str, OrgUnit] = {}
    jobcentres: dict[str, OrgUnit] = {}
    team_leads: list[tuple[OrgUnit, str, str | None]] = []
    for region_data in data["regions"]:
        region = _unit(UnitKind.region, region_data["name"], None)
        for jc_data in region_data["jobcentres"]:
            jobcentre = _unit(UnitKind.jobcentre, jc_data["name"], region)
            jobcentres[jc_data["key"]] = jobcentre
            for team_data in jc_data["teams"]:
                team = _unit(UnitKind.team, team_data["name"], jobcentre)
                teams[team_data["key"]] = team
                team_leads.append(
                    (team, team_data.get("manager"), team_data.get("deputy"))
                )

    people: dict[str, User] = {}
    existing = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_([p["email"] for p in data["people"]]))
        )
    }
    # One hash serves every demo account: hashing is deliberately slow.
    password_hash = generate_password_hash(DEMO_PASSWORD)
    for person in data["people"]:
        user = existing.get(person["email"].lower())
        team = teams.get(person.get("team") or "")
        if user is None:
            user = services.create_user(
                None,
                email=person["email"],
                name=person["name"],
                roles=[Role(r) for r in person["roles"]],
                employer_kind=EmployerKind(person.get("employer_kind", "municipal")),
                team=team,
            )
            user.password_hash = password_hash
        people[person["key"]] = user

    for team, manager_key, deputy_key in team_leads:
        team.manager = people.get(manager_key) if manager_key else None
        team.deputy = people.get(deputy_key) if deputy_key else None

    have = {(k.user_id, k.area) for k in db.session.scalars(sa.select(KeyPerson))}
    for person in data["people"]:
        user = people[person["key"]]
        for area in person.get("key_person_areas", []):
            if (user.id, SpecialistArea(area)) in have or user.team is None:
                continue
            db.session.add(
                KeyPerson(
                    user=user, area=SpecialistArea(area), jobcentre=user.team.parent
                )
            )
    db.session.flush()
    return people
