"""Load the demo's regional specialist functions and their staff from
core/people/demo/specialists.json (the key persons are in organisation.json)."""

import json
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from core.people.demo import load_demo_data
from core.people.models import OrgUnit, SpecialistArea, UnitKind, User
from core.people.specialists import SpecialistFunction, add_staff

SPECIALISTS_FILE = Path(__file__).parent / "demo" / "specialists.json"


def load_specialist_data() -> dict:
    return json.loads(SPECIALISTS_FILE.read_text(encoding="utf-8"))


def seed_specialists() -> None:
    """Create or update the specialist functions and add their staff."""
    organisation = load_demo_data()
    region_names = {r["key"]: r["name"] for r in organisation["regions"]}
    emails = {p["key"]: p["email"].lower() for p in organisation["people"]}
    regions = {
        unit.name: unit
        for unit in db.session.scalars(
            sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.region)
        )
    }
    people = {
        user.email: user
        for user in db.session.scalars(
            sa.select(User).where(User.email.in_(list(emails.values())))
        )
    }
    existing = {
        (f.area, f.region_id): f
        for f in db.session.scalars(sa.select(SpecialistFunction))
    }
    for row in load_specialist_data()["functions"]:
        area = SpecialistArea(row["area"])
        region = regions[region_names[row["region"]]]
        function = existing.get((area, region.id))
        if function is None:
            function = SpecialistFunction(area=area, region=region)
            db.session.add(function)
        function.name = row["name"]
        function.description = row["description"]
        function.website = row.get("website", "")
        function.contact_email = row.get("contact_email", "")
        function.contact_phone = row.get("contact_phone", "")
        function.demo = row["demo"]
        db.session.flush()
        for key in row["staff"]:
            add_staff(None, function, people[emails[key]])
    db.session.flush()
