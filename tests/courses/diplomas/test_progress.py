"""Diploma pages and a person's progress: rules, the picture, who may see and set."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core import clock
from core.db import db
from core.people.models import UnitKind
from courses.diplomas import services
from courses.diplomas.models import Diploma, ModuleKind, ModuleProgress, ModuleStatus
from tests.courses.catalogue.factories import make_course


@pytest.fixture
def diploma(app):
    diploma = Diploma(key="dib", title="Diplom i beskæftigelse", demo=True)
    db.session.add(diploma)
    plan = [
        ("Lovgivning", 10, ModuleKind.mandatory),
        ("Kommunikation", 10, ModuleKind.mandatory),
        ("Rehabilitering", 10, ModuleKind.mandatory),
        ("Virksomhedssamarbejde", 10, ModuleKind.elective),
        ("A-kasser", 5, ModuleKind.elective),
        ("Unge", 5, ModuleKind.elective),
        ("Afgangsprojekt", 15, ModuleKind.final_project),
    ]
    for title, ects, kind in plan:
        services.add_module(
            None, diploma, make_course(title=title), ects=ects, kind=kind
        )
    db.session.commit()
    return diploma


def _module(diploma, title):
    return next(m for m in diploma.modules if m.course.title == title)


def test_progress_counts_ects_and_names_the_missing_rules(diploma, create_user):
    person = create_user("employee")
    admin = create_user("admin")
    services.set_status(
        admin, person, _module(diploma, "Lovgivning"), ModuleStatus.passed
    )
    services.set_status(
        admin, person, _module(diploma, "Kommunikation"), ModuleStatus.accredited
    )
    services.set_status(
        person, person, _module(diploma, "Unge"), ModuleStatus.in_progress
    )
    result = services.progress(person, diploma)
    assert result.earned == Decimal(20)
    assert result.missing == Decimal(40)
    assert result.ects[ModuleStatus.in_progress] == Decimal(5)
    assert {r.code: r.met for r in result.rules} == {
        "total": False,
        "mandatory": False,
        "final_project": False,
        # No start date: the 6-year rule cannot be judged, so it is not met.
        "deadline": False,
    }


def test_final_project_comes_last_and_is_never_accredited(diploma, create_user):
    person, admin = create_user("employee"), create_user("admin")
    final = _module(diploma, "Afgangsprojekt")
    with pytest.raises(services.DiplomaError) as caught:
        services.set_status(admin, person, final, ModuleStatus.passed)
    assert caught.value.code == "final_project_last"
    with pytest.raises(services.DiplomaError) as caught:
        services.set_status(admin, person, final, ModuleStatus.accredited)
    assert caught.value.code == "final_project_not_accredited"
    for module in diploma.modules:
        if module is not final:
            services.set_status(admin, person, module, ModuleStatus.passed)
    services.set_status(admin, person, final, ModuleStatus.passed)
    assert not services.progress(person, diploma).complete  # no start date yet
    services.enrol(person, person, diploma, clock.today())
    assert services.progress(person, diploma).complete


def test_a_person_cannot_pass_their_own_module(diploma, create_user):
    person = create_user("employee")
    with pytest.raises(services.DiplomaError) as caught:
        services.set_status(person, person, diploma.modules[0], ModuleStatus.passed)
    assert caught.value.code == "status_not_allowed"


def test_deadline_runs_six_years_from_the_start(diploma, create_user):
    person = create_user("employee")
    services.enrol(person, person, diploma, date(2019, 9, 1))
    result = services.progress(person, diploma, today=date(2026, 1, 1))
    assert result.deadline == date(2025, 9, 1)
    assert not next(r for r in result.rules if r.code == "deadline").met


def test_progress_page_draws_a_picture_with_the_same_numbers(client, login_as, diploma):
    person = login_as("employee")
    admin_user = login_as("admin")
    services.set_status(
        admin_user, person, _module(diploma, "Lovgivning"), ModuleStatus.passed
    )
    db.session.commit()
    login_as(person)
    page = client.get(f"/diplomer/{diploma.id}/fremdrift").text
    assert 'role="img"' in page
    assert '<title id="bar-title">' in page
    assert "Bestået: 10 ECTS" in page
    assert "10 af 60 ECTS-point opnået." in page
    assert "Endnu ikke opfyldt:" in page


def test_person_sets_a_module_as_planned_through_the_page(client, login_as, diploma):
    person = login_as("employee")
    module = _module(diploma, "Unge")
    response = client.post(
        f"/diplomer/moduler/{module.id}/status/{person.id}", data={"status": "planned"}
    )
    assert response.status_code == 302
    row = db.session.scalar(sa.select(ModuleProgress))
    assert row.status is ModuleStatus.planned
    response = client.post(
        f"/diplomer/moduler/{module.id}/status/{person.id}", data={"status": "passed"}
    )
    assert (
        "Du må ikke sætte den status." in client.get(response.headers["Location"]).text
    )
    bad = client.post(
        f"/diplomer/moduler/{module.id}/status/{person.id}", data={"status": "genius"}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("colleague", 403),
        ("manager", 200),
        ("coordinator", 200),
        ("provider_staff", 403),
        ("admin", 200),
    ],
)
def test_someone_elses_progress_access(
    client, login_as, create_user, create_unit, diploma, who, status
):
    team = create_unit(UnitKind.team)
    person = create_user("employee", team=team)
    if who == "manager":
        manager = login_as("manager", team=team)
        team.manager = manager
        db.session.commit()
    elif who == "coordinator":
        other_team = create_unit(UnitKind.team, parent=team.parent)
        login_as("coordinator", team=other_team)
    elif who == "colleague":
        login_as("employee", team=team)
    elif who != "anonymous":
        login_as(who)
    assert client.get(f"/diplomer/{diploma.id}/fremdrift/{person.id}").status_code == (
        status
    )


@pytest.mark.parametrize(
    "role", ["employee", "manager", "coordinator", "provider_staff", "admin"]
)
def test_diploma_pages_are_open_to_everyone_signed_in(client, login_as, diploma, role):
    login_as(role)
    assert client.get("/diplomer/").status_code == 200
    detail = client.get(f"/diplomer/{diploma.id}")
    assert detail.status_code == 200
    assert "Afgangsprojekt" in detail.text
    assert client.get(f"/diplomer/{diploma.id}/fremdrift").status_code == 200
    assert client.get("/diplomer/999999").status_code == 404


def test_dashboard_panel_shows_started_diplomas(client, login_as, diploma):
    person = login_as("employee")
    assert "Min diplomuddannelse" not in client.get("/").text
    admin = login_as("admin")
    services.set_status(admin, person, _module(diploma, "Unge"), ModuleStatus.passed)
    db.session.commit()
    login_as(person)
    page = client.get("/").text
    assert "Min diplomuddannelse" in page
    assert "5 af 60 ECTS-point opnået." in page


def test_manager_finds_the_teams_progress_on_the_diploma_page(
    client, login_as, create_user, create_unit, diploma
):
    team = create_unit(UnitKind.team)
    member = create_user("employee", team=team, name="Bodil Holm")
    manager = login_as("manager", team=team)
    team.manager = manager
    db.session.commit()
    page = client.get(f"/diplomer/{diploma.id}").text
    assert "Bodil Holm" in page
    assert f"/diplomer/{diploma.id}/fremdrift/{member.id}" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("colleague", 403),
        ("provider_staff", 403),
        ("manager", 302),
        ("admin", 302),
    ],
)
def test_recording_someone_elses_progress_access(
    client, login_as, create_user, create_unit, diploma, who, status
):
    team = create_unit(UnitKind.team)
    person = create_user("employee", team=team)
    if who == "manager":
        team.manager = login_as("manager", team=team)
        db.session.commit()
    elif who == "colleague":
        login_as("employee", team=team)
    elif who != "anonymous":
        login_as(who)
    module = _module(diploma, "Unge")
    for path, data in (
        (f"/diplomer/moduler/{module.id}/status/{person.id}", {"status": "passed"}),
        (f"/diplomer/{diploma.id}/start/{person.id}", {"started_on": "2024-09-01"}),
    ):
        response = client.post(path, data=data)
        assert response.status_code == status, path
    saved = db.session.scalar(sa.select(sa.func.count(ModuleProgress.id)))
    assert saved == (1 if who in ("manager", "admin") else 0)
