"""Unit plans (a regional advisory project) and the team's plans as CSV and Excel."""

import io
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from core.db import db
from core.notifications.models import Notification
from core.people.advisers import set_adviser
from core.people.models import UnitKind
from learning.plans import decisions, services
from learning.plans.models import ActivityKind, Plan, PlanKind, PlanStatus
from tests.dates import working_day


def test_region_adviser_creates_a_unit_plan_and_the_coordinator_approves(
    client, login_as, create_unit, create_user
):
    region = create_unit(UnitKind.region)
    jobcentre = create_unit(UnitKind.jobcentre, parent=region)
    team = create_unit(UnitKind.team, parent=jobcentre)
    adviser = create_user("coordinator", name="Regional rådgiver")
    set_adviser(adviser, region)
    coordinator = create_user("coordinator", team=team)
    db.session.commit()
    login_as(adviser)
    start, end = working_day(5), working_day(120)
    response = client.post(
        "/planer/enheder/ny",
        data={
            "unit_id": jobcentre.id,
            "title": "Rådgivningsprojekt: bedre resultater for unge",
            "starts_on": start.strftime("%d.%m.%Y"),
            "ends_on": end.isoformat(),
            "aims": "Flere unge i uddannelse",
            "strategy": "Seminarer og netværksmøder",
            "responsible": "Regional rådgiver og jobcentrets koordinator",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    plan = db.session.scalar(sa.select(Plan).where(Plan.kind == PlanKind.unit))
    response = client.post(
        f"/planer/{plan.id}/aktiviteter",
        data={
            "kind": "seminar",
            "title": "Seminar om unge",
            "participants": "12",
            "cost": "15.000",
            "funding": "budget",
        },
    )
    assert response.status_code == 302
    assert client.post(f"/planer/{plan.id}/indsend").status_code == 302
    # The adviser edits but does not approve; the jobcentre's coordinator does.
    assert client.get(f"/planer/{plan.id}/godkend").status_code == 403
    login_as(coordinator)
    assert (
        client.post(f"/planer/{plan.id}/godkend", data={"approve": "1"}).status_code
        == 302
    )
    login_as(adviser)
    response = client.post(
        f"/planer/{plan.id}/statusrapport",
        data={"aims_met": "partly", "status_report": "Halvdelen af målene nået."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert plan.status is PlanStatus.approved
    assert plan.status_report
    # Each side heard of the other's step: the coordinator of the submission, the
    # adviser of the approval; nobody of their own.
    assert _subjects(coordinator) == [
        "Udviklingsplan til godkendelse: Rådgivningsprojekt: bedre resultater for unge"
    ]
    assert _subjects(adviser) == [
        "Udviklingsplan godkendt: Rådgivningsprojekt: bedre resultater for unge"
    ]


def _subjects(person) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.subject)
            .where(Notification.user_id == person.id)
            .order_by(Notification.id)
        )
    )


def test_another_jobcentres_coordinator_and_other_regions_advisers_are_kept_out(
    client, login_as, create_unit, create_user
):
    region, other_region = create_unit(UnitKind.region), create_unit(UnitKind.region)
    jobcentre = create_unit(UnitKind.jobcentre, parent=region)
    elsewhere = create_unit(UnitKind.team, parent=create_unit(UnitKind.jobcentre))
    coordinator = create_user("coordinator", team=create_unit(parent=jobcentre))
    plan = services.create_unit_plan(
        coordinator,
        jobcentre,
        title="Projekt",
        starts_on=working_day(1),
        ends_on=working_day(60),
    )
    adviser = create_user("coordinator")
    set_adviser(adviser, other_region)
    db.session.commit()
    for outsider in (create_user("coordinator", team=elsewhere), adviser):
        login_as(outsider)
        assert client.get(f"/planer/{plan.id}").status_code == 403


def test_team_plans_export_as_danish_csv_and_excel(client, login_as, setting, plan_for):
    plan = plan_for(setting.person)
    services.add_goal(setting.person, plan, text="Mødeledelse")
    services.add_activity(
        setting.person,
        plan,
        kind=ActivityKind.reading,
        title="Bog om mødeledelse på dansk: æøå",
        cost=Decimal("1250.50"),
    )
    decisions.submit(setting.person, plan)
    db.session.commit()
    login_as(setting.manager)
    csv = client.get("/planer/team.csv")
    assert csv.status_code == 200
    text = csv.data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert ";" in text
    assert "Bog om mødeledelse på dansk: æøå" in text
    assert "1250,50" in text
    xlsx = client.get("/planer/team.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Mette Nielsen"
    assert float(rows[1][9]) == 1250.5
    login_as(setting.person)
    assert client.get("/planer/team.csv").status_code == 403
