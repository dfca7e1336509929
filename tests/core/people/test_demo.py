"""The demo's specialist organisation: a function per area in each employment
region, staffed, marked demo where the sources do not confirm it, and jobcentres
with and without key persons, so the gap shows."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import OrgUnit, SpecialistArea, UnitKind
from core.people.specialist_demo import load_specialist_data
from core.people.specialists import (
    SpecialistFunction,
    functions,
    missing_areas,
    staff_of,
)
from tests.routes import seed_demo, sign_in


@pytest.fixture
def demo(app):
    return seed_demo(app)


def test_every_region_has_a_staffed_function_for_each_area(demo):
    found = functions()
    regions = db.session.scalars(
        sa.select(OrgUnit.id).where(OrgUnit.kind == UnitKind.region)
    ).all()
    assert {(f.area, f.region_id) for f in found} == {
        (area, region) for area in SpecialistArea for region in regions
    }
    staff = staff_of(found)
    assert all(staff[f.id] for f in found)


def test_only_what_the_sources_confirm_is_not_demo(demo):
    confirmed = db.session.scalars(
        sa.select(SpecialistFunction.name).where(SpecialistFunction.demo.is_(False))
    ).all()
    assert sorted(confirmed) == [
        "SEBI – Specialfunktionen for den Etniske Beskæftigelsesindsats",
        "Specialfunktionen for ligestilling",
    ]
    for row in load_specialist_data()["functions"]:
        if not row["demo"]:  # no invented contact details on a confirmed function
            assert not row.get("contact_email")
            assert not row.get("website")


def test_some_demo_jobcentres_lack_key_persons_and_some_have_them(demo):
    jobcentres = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.jobcentre)
    ).all()
    gaps = missing_areas(jobcentres)
    assert any(gaps.values())
    assert any(len(areas) < len(SpecialistArea) for areas in gaps.values())
    lacking_eures = [u for u in jobcentres if SpecialistArea.eures in gaps[u.id]]
    assert 0 < len(lacking_eures) < len(jobcentres)


def test_the_region_adviser_sees_which_jobcentres_lack_eures(app, demo):
    client = app.test_client()
    sign_in(client, demo["region-adviser"])
    page = client.get("/noeglepersoner/?mangler=eures").get_data(as_text=True)
    assert "Jobcenter Vordingborg" in page
    assert "Jobcenter Hvidovre" not in page  # Kim Larsen is its EURES key person
