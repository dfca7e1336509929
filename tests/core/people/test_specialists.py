"""The specialist functions per area and region, their staff, and the rules for
appointing, replacing and relieving a jobcentre's key persons."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.people.models import KeyPerson, Role, SpecialistArea, UnitKind
from core.people.specialists import (
    KeyPersonError,
    SpecialistFunction,
    add_staff,
    appoint_key_person,
    end_key_person,
    functions,
    missing_areas,
    replace_key_person,
    staff_areas,
    staff_of,
)

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def jobcentre(create_unit):
    return create_unit(UnitKind.jobcentre, name="Jobcenter Æbeltoft")


@pytest.fixture
def coordinator(create_user, create_unit, jobcentre):
    return create_user("coordinator", team=create_unit(parent=jobcentre))


@pytest.fixture
def colleague(create_user, create_unit, jobcentre):
    return create_user("employee", team=create_unit(parent=jobcentre))


def _function(region, area=SpecialistArea.eures, name="EURES Nord"):
    function = SpecialistFunction(area=area, region=region, name=name)
    db.session.add(function)
    db.session.commit()
    return function


def test_one_function_per_area_and_region(jobcentre):
    _function(jobcentre.parent)
    db.session.add(
        SpecialistFunction(
            area=SpecialistArea.eures, region=jobcentre.parent, name="Anden"
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_staff_count_while_they_hold_the_employee_role(create_user, jobcentre):
    function = _function(jobcentre.parent)
    person = create_user("employee")
    add_staff(None, function, person)
    add_staff(None, function, person)  # idempotent
    db.session.commit()
    assert staff_areas(person) == {SpecialistArea.eures}
    assert staff_of(functions(SpecialistArea.eures)) == {function.id: [person]}
    person.set_roles([Role.coordinator])
    db.session.commit()
    assert staff_areas(person) == set()
    assert staff_of([function]) == {function.id: []}


def test_coordinator_appoints_a_colleague_and_it_is_audited(coordinator, colleague):
    jobcentre = colleague.team.parent
    key = appoint_key_person(
        coordinator, colleague, SpecialistArea.disability, jobcentre
    )
    db.session.commit()
    assert key.jobcentre_id == jobcentre.id
    assert missing_areas([jobcentre])[jobcentre.id] == [
        SpecialistArea.gender_equality,
        SpecialistArea.ethnic_minorities,
        SpecialistArea.eures,
    ]
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.actor_id == coordinator.id)
    ).all()
    assert actions == ["key_person.set"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("other_coordinator", "not_allowed"),
        ("employee", "not_allowed"),
    ],
)
def test_only_the_jobcentres_coordinator_appoints(
    create_user, create_unit, colleague, who, code
):
    team = create_unit()  # in another jobcentre
    actor = create_user(
        "coordinator" if who == "other_coordinator" else "employee", team=team
    )
    with pytest.raises(KeyPersonError) as caught:
        appoint_key_person(
            actor, colleague, SpecialistArea.eures, colleague.team.parent
        )
    assert caught.value.code == code


def test_a_person_from_another_jobcentre_is_refused(
    coordinator, create_user, create_unit
):
    outsider = create_user("employee", team=create_unit())
    with pytest.raises(KeyPersonError) as caught:
        appoint_key_person(
            coordinator, outsider, SpecialistArea.eures, coordinator.team.parent
        )
    assert caught.value.code == "not_in_jobcentre"
    assert str(caught.value) == "Vælg en person, der arbejder i jobcentret."
    assert db.session.scalars(sa.select(KeyPerson)).all() == []


def test_replace_hands_the_area_over_in_one_step(
    coordinator, colleague, create_user, create_unit
):
    jobcentre = colleague.team.parent
    key = appoint_key_person(coordinator, colleague, SpecialistArea.eures, jobcentre)
    successor = create_user("employee", team=colleague.team)
    replace_key_person(coordinator, key, successor)
    db.session.commit()
    rows = db.session.scalars(sa.select(KeyPerson)).all()
    assert [(r.user_id, r.area) for r in rows] == [(successor.id, SpecialistArea.eures)]


def test_a_refused_replacement_keeps_the_old_key_person(
    coordinator, colleague, create_user, create_unit
):
    jobcentre = colleague.team.parent
    key = appoint_key_person(coordinator, colleague, SpecialistArea.eures, jobcentre)
    db.session.commit()
    outsider = create_user("employee", team=create_unit())
    with pytest.raises(KeyPersonError):
        replace_key_person(coordinator, key, outsider)
    db.session.rollback()
    assert db.session.scalars(sa.select(KeyPerson.user_id)).all() == [colleague.id]


def test_ending_an_appointment_shows_the_gap(coordinator, colleague):
    jobcentre = colleague.team.parent
    key = appoint_key_person(coordinator, colleague, SpecialistArea.eures, jobcentre)
    db.session.commit()
    end_key_person(coordinator, key)
    db.session.commit()
    assert SpecialistArea.eures in missing_areas([jobcentre])[jobcentre.id]


def test_an_appointment_that_does_not_count_is_a_gap(coordinator, colleague):
    jobcentre = colleague.team.parent
    appoint_key_person(coordinator, colleague, SpecialistArea.eures, jobcentre)
    colleague.active = False
    db.session.commit()
    assert missing_areas([jobcentre])[jobcentre.id] == list(SpecialistArea)
