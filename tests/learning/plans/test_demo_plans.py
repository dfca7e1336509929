"""The demo plans: Mette's draft, two plans in Lars's inbox (one paid by the
Kompetencefond), last period's approved plan and the region's advisory project
with Jobcenter København; loading the demo again adds nothing."""

import re

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification
from core.people.advisers import RegionAdviser
from courses.bookings.models import Booking, BookingStatus
from learning.plans import services
from learning.plans.models import (
    ActivityKind,
    Funding,
    Plan,
    PlanActivity,
    PlanDecision,
    PlanGoal,
    PlanKind,
    PlanStatus,
)
from tests.dates import today
from tests.routes import seed_demo, sign_in


def _plan_of(user) -> Plan | None:
    return db.session.scalar(
        sa.select(Plan).where(Plan.kind == PlanKind.person, Plan.owner_id == user.id)
    )


def test_the_demo_has_a_plan_in_each_state(app):
    people = seed_demo(app)
    current, _end = services.period_containing(today())

    mette = _plan_of(people["employee"])
    assert (mette.status, mette.starts_on) == (PlanStatus.draft, current)
    assert len(mette.goals) == 2
    assert all(g.competence_id for g in mette.goals)
    kinds = {a.kind for a in mette.activities}
    assert kinds == {ActivityKind.course, ActivityKind.internal}
    assert all(a.booking_id is None for a in mette.activities)  # a draft books nothing

    for key in ("jonas-kristensen", "birgitte-lund"):
        plan = _plan_of(people[key])
        assert plan.status is PlanStatus.submitted, key
        course = [a for a in plan.activities if a.kind is ActivityKind.course]
        assert course, key
        assert course[0].booking.status is BookingStatus.requested, key
    birgitte = _plan_of(people["birgitte-lund"]).activities
    assert any(a.funding is Funding.fund and a.cost > 0 for a in birgitte)

    hanne = _plan_of(people["coordinator"])
    assert hanne.status is PlanStatus.approved
    assert hanne.ends_on < current
    assert hanne.decided_by_id == people["manager"].id

    unit = db.session.scalar(sa.select(Plan).where(Plan.kind == PlanKind.unit))
    assert unit.unit.name == "Jobcenter København"
    assert unit.aims
    assert unit.strategy
    assert unit.responsible
    assert len(unit.activities) >= 3
    adviser = people["region-adviser"]
    assert db.session.get(RegionAdviser, (adviser.id, unit.unit.parent_id))
    created = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "plan.create", AuditEvent.object_id == unit.id
        )
    )
    assert created.actor_id == adviser.id


def test_lars_sees_two_plans_in_his_inbox(app, client):
    people = seed_demo(app)
    sign_in(client, people["manager"])
    response = client.get("/planer/indbakke")
    assert response.status_code == 200
    rows = re.findall(r'<th scope="row"><a href="/planer/\d+', response.text)
    assert len(rows) == 2
    assert "Jonas Kristensen" in response.text
    assert "Birgitte Lund" in response.text
    # The plans' own notices told him, with a link to each plan.
    told = set(
        db.session.scalars(
            sa.select(Notification.link).where(
                Notification.user_id == people["manager"].id
            )
        )
    )
    for key in ("jonas-kristensen", "birgitte-lund"):
        assert f"/planer/{_plan_of(people[key]).id}" in told, key


def test_the_region_adviser_sees_and_opens_the_unit_plan(app, client):
    people = seed_demo(app)
    sign_in(client, people["region-adviser"])
    response = client.get("/planer/enheder")
    assert response.status_code == 200
    assert "Rådgivningsprojekt" in response.text
    unit = db.session.scalar(sa.select(Plan.id).where(Plan.kind == PlanKind.unit))
    assert client.get(f"/planer/{unit}").status_code == 200


def _counts() -> dict[str, int]:
    tables = (
        Plan,
        PlanGoal,
        PlanActivity,
        PlanDecision,
        Booking,
        AuditEvent,
        Notification,
        RegionAdviser,
    )
    return {
        t.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in tables
    }


def test_loading_the_demo_twice_adds_nothing(app):
    seed_demo(app)
    before = _counts()
    assert before["plans"] == 5
    seed_demo(app)
    assert _counts() == before
