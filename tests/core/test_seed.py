"""`flask seed-demo` loads the demo data, and running it again changes nothing."""

import sqlalchemy as sa

from core.db import db
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import KeyPerson, OrgUnit, Role, SpecialistArea, UnitKind, User


def row_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table.name: conn.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def test_seed_demo_is_idempotent_and_complete(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = row_counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert row_counts() == after_first

    regions = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.region)
    )
    assert len(regions.all()) == 4
    jobcentres = db.session.scalar(
        sa.select(sa.func.count(OrgUnit.id)).where(OrgUnit.kind == UnitKind.jobcentre)
    )
    assert jobcentres >= 8
    teams = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.team)
    ).all()
    assert teams
    assert all(team.manager_id for team in teams)
    users = db.session.scalars(sa.select(User)).all()
    assert len(users) >= 40
    assert {role for user in users for role in user.roles} == set(Role)
    assert {user.employer_kind.value for user in users} == {"state", "municipal"}
    areas = set(db.session.scalars(sa.select(KeyPerson.area)))
    assert areas == set(SpecialistArea)


def test_every_demo_login_in_the_readme_works(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    people = {p["key"]: p for p in load_demo_data()["people"]}
    for key in ("employee", "manager", "coordinator", "provider", "admin", "keyperson"):
        email = people[key]["email"]
        response = client.post(
            "/log-ind", data={"email": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, key
        client.post("/log-ud")
