"""Who sees whose suggestions, and the team view: sessions that serve several
members, with who, which gaps and the total price."""

from decimal import Decimal

import pytest

from core.db import db
from core.people.models import UnitKind
from courses.diplomas.models import (
    Diploma,
    DiplomaEnrolment,
    DiplomaModule,
    ModuleKind,
    ModuleProgress,
    ModuleStatus,
)
from learning.assessments.models import RatingSource
from learning.competences import services as framework
from tests.courses.bookings.factories import make_course, make_session

pytest.importorskip("learning.matching.models")


@pytest.fixture
def people(consultant, team, create_unit, create_user):
    jobcentre_team = create_unit(UnitKind.team, parent=team.parent)
    manager = create_user("manager", team=team)
    team.manager = manager
    db.session.commit()
    return {
        "self": consultant,
        "team_manager": manager,
        "colleague": create_user("employee", team=team),
        "coordinator_same": create_user("coordinator", team=jobcentre_team),
        "manager_other": "manager",
        "provider_staff": "provider_staff",
    }


@pytest.mark.parametrize(
    ("visitor", "status"),
    [
        ("self", 200),
        ("team_manager", 200),
        ("colleague", 403),
        ("coordinator_same", 403),
        ("manager_other", 403),
        ("provider_staff", 403),
        ("admin", 200),
    ],
)
def test_a_persons_suggestions_are_their_own_and_their_managers(
    client, login_as, people, visitor, status
):
    login_as(people.get(visitor, visitor))
    assert client.get(f"/forslag/personer/{people['self'].id}").status_code == status


def test_an_unknown_person_is_not_found(client, login_as):
    login_as("manager")
    assert client.get("/forslag/personer/999999").status_code == 404


@pytest.mark.parametrize(
    ("visitor", "status"),
    [
        ("self", 403),
        ("team_manager", 200),
        ("coordinator_same", 403),
        ("provider_staff", 403),
        ("admin", 200),
    ],
)
def test_the_team_view_is_for_the_teams_manager(
    client, login_as, people, visitor, status
):
    login_as(people.get(visitor, visitor))
    assert client.get("/forslag/team").status_code == status


def test_a_manager_may_not_pick_another_team(client, login_as, people, create_unit):
    login_as(people["team_manager"])
    other = create_unit(UnitKind.team)
    assert client.get(f"/forslag/team?team={other.id}").status_code == 403
    assert client.get("/forslag/team?team=999999").status_code == 404
    assert client.get("/forslag/team?team=x").status_code == 400


def test_the_manager_sees_a_members_suggestions_without_booking_buttons(
    client, login_as, people, link
):
    cs = make_session(link(make_course(title="Samtaleteknik"), {"B-H1": 3}))
    login_as(people["team_manager"])
    html = client.get(f"/forslag/personer/{people['self'].id}").get_data(as_text=True)
    assert "Forslag til Mette Nielsen" in html
    assert "Samtaleteknik" in html
    assert f"/hold/{cs.id}/tilmeld" not in html


def test_the_team_view_shows_who_and_which_gaps_and_the_total_price(
    client, login_as, people, link, small_framework, rate
):
    colleague = people["colleague"]
    framework.set_user_profiles(None, colleague, [small_framework.consultant])
    rate(small_framework, colleague, RatingSource.self, {"B-H1": 2, "S-VK1": 3})
    shared = link(make_course(title="Fælles kursus", price=1200), {"B-H1": 3})
    make_session(shared)
    make_session(link(make_course(title="Kun for Mette"), {"S-VK1": 3}))
    login_as(people["team_manager"])
    html = client.get("/forslag/team").get_data(as_text=True)
    assert "Fælles kursus" in html
    assert "Kun for Mette" not in html
    # The manager, never assessed, is in the team too but has no gap to close:
    # two members, two prices.
    assert "Gavner 2 medlemmer" in html
    assert "Kan føre en motiverende samtale (1 → 3)" in html
    assert "Kan føre en motiverende samtale (2 → 3)" in html
    assert "samlet pris for teamet 2.400,00 kr." in html


def _diploma(*kinds: ModuleKind) -> list[DiplomaModule]:
    diploma = Diploma(key="diplom", title="Diplom i beskæftigelse", total_ects=20)
    for n, kind in enumerate(kinds):
        course = make_course(title=f"Modul {n} ({kind.value})")
        diploma.modules.append(
            DiplomaModule(course=course, ects=Decimal(10), kind=kind, code=f"M{n}")
        )
    db.session.add(diploma)
    db.session.commit()
    return diploma.modules


def test_diploma_modules_of_the_persons_programme_are_suggested(
    client, login_as, consultant
):
    mandatory, final = _diploma(ModuleKind.mandatory, ModuleKind.final_project)
    for module in (mandatory, final):
        make_session(module.course)
    db.session.add(
        DiplomaEnrolment(
            user_id=consultant.id,
            diploma=mandatory.diploma,
            started_on=consultant.created_at.date(),
        )
    )
    db.session.commit()
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    assert "Modul M0 i Diplom i beskæftigelse (10 ECTS)" in html
    # The final project only once the rest is earned.
    assert "Afgangsprojektet" not in html
    db.session.add(
        ModuleProgress(
            user_id=consultant.id, module=mandatory, status=ModuleStatus.passed
        )
    )
    db.session.commit()
    html = client.get("/forslag").get_data(as_text=True)
    assert "Afgangsprojektet i Diplom i beskæftigelse (10 ECTS)" in html
    assert "Modul M0" not in html


def test_a_person_never_assessed_gets_an_invitation_not_suggestions(
    client, login_as, people, link, small_framework
):
    colleague = people["colleague"]
    framework.set_user_profiles(None, colleague, [small_framework.consultant])
    make_session(link(make_course(title="Samtaleteknik"), {"B-H1": 3}))
    login_as(colleague)
    html = client.get("/forslag").get_data(as_text=True)
    assert "Samtaleteknik" not in html
    assert "Ikke vurderet endnu" in html
    assert "/kompetencer/vurdering/selv" in html
    login_as(people["team_manager"])
    html = client.get(f"/forslag/personer/{colleague.id}").get_data(as_text=True)
    assert f"/kompetencer/vurdering/personer/{colleague.id}/leder" in html
    team = client.get("/forslag/team").get_data(as_text=True)
    listed = team[team.index("<h2>Forslag pr. medlem") :]
    assert "ikke vurderet" in listed
