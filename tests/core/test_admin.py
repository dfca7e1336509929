"""The administrator's pages: access for every role, accounts, units, key persons."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import KeyPerson, OrgUnit, Role, UnitKind, User

ADMIN_PAGES = [
    "/admin/brugere",
    "/admin/brugere/ny",
    "/admin/enheder",
    "/admin/enheder/ny",
    "/admin/noeglepersoner",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("employee", 403),
        ("manager", 403),
        ("coordinator", 403),
        ("provider_staff", 403),
        ("admin", 200),
    ],
)
def test_admin_pages_are_for_admins_only(client, login_as, path, role, status):
    login_as(role)
    assert client.get(path).status_code == status


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_send_anonymous_visitors_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/log-ind")


def test_non_admin_cannot_post_to_create_a_user(client, login_as):
    login_as("manager")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Eve",
            "email": "eve@jobcenter.demo.dk",
            "roles": ["admin"],
            "employer_kind": "municipal",
            "team_id": 0,
        },
    )
    assert response.status_code == 403
    assert (
        db.session.scalar(sa.select(User).where(User.email == "eve@jobcenter.demo.dk"))
        is None
    )


def test_admin_creates_a_user_with_roles_and_team(client, login_as, create_unit):
    team = create_unit(UnitKind.team, name="Ungeteam")
    login_as("admin")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Karen Ibsen",
            "email": "Karen.Ibsen@jobcenter.demo.dk",
            "roles": ["employee", "coordinator"],
            "employer_kind": "state",
            "team_id": team.id,
            "active": "y",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(
        sa.select(User).where(User.email == "karen.ibsen@jobcenter.demo.dk")
    )
    assert user.roles == {Role.employee, Role.coordinator}
    assert user.team_id == team.id
    assert user.employer_kind.value == "state"
    assert user.password_hash == ""  # the person chooses it through the invitation


def test_bad_user_form_keeps_input_and_names_the_fields_in_danish(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Ole",
            "email": "not-an-email",
            "roles": [],
            "employer_kind": "municipal",
            "team_id": 0,
        },
    )
    assert response.status_code == 400
    assert 'value="Ole"' in response.text
    assert "Vælg mindst én rolle." in response.text
    assert "Ugyldig e-mailadresse" in response.text or "gyldig" in response.text
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_duplicate_email_in_other_case_is_refused(client, login_as, create_user):
    create_user(email="taken@jobcenter.demo.dk")
    login_as("admin")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Other",
            "email": "TAKEN@jobcenter.demo.dk",
            "roles": ["employee"],
            "employer_kind": "municipal",
            "team_id": 0,
        },
    )
    assert response.status_code == 400
    assert "En anden konto bruger allerede denne e-mailadresse." in response.text


def test_deactivating_a_user_signs_them_out(app, client, login_as, create_user):
    victim = create_user("employee", password="the victims password")
    other = app.test_client()
    other.post(
        "/log-ind", data={"email": victim.email, "password": "the victims password"}
    )
    assert other.get("/").status_code == 200
    login_as("admin")
    response = client.post(
        f"/admin/brugere/{victim.id}",
        data={
            "name": victim.name,
            "email": victim.email,
            "roles": ["employee"],
            "employer_kind": "municipal",
            "team_id": 0,
        },
    )
    assert response.status_code == 302, response.text
    assert response.location == f"/admin/brugere/{victim.id}"
    assert db.session.get(User, victim.id).active is False
    assert other.get("/").status_code == 302


def test_unknown_ids_are_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/brugere/999999").status_code == 404
    assert client.get("/admin/enheder/999999").status_code == 404
    assert "Siden blev ikke fundet" in client.get("/admin/brugere/999999").text


def test_admin_builds_the_organisation_tree(client, login_as, create_user):
    login_as("admin")
    boss = create_user("employee", email="boss@jobcenter.demo.dk")
    client.post(
        "/admin/enheder/ny",
        data={"kind": "region", "name": "Syddanmark", "parent_id": 0},
    )
    region = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Syddanmark"))
    client.post(
        "/admin/enheder/ny",
        data={"kind": "jobcentre", "name": "Jobcenter Odense", "parent_id": region.id},
    )
    jobcentre = db.session.scalar(
        sa.select(OrgUnit).where(OrgUnit.name == "Jobcenter Odense")
    )
    response = client.post(
        "/admin/enheder/ny",
        data={
            "kind": "team",
            "name": "Virksomhedsteam",
            "parent_id": jobcentre.id,
            "manager_email": "boss@jobcenter.demo.dk",
        },
    )
    assert response.status_code == 302
    team = db.session.scalar(
        sa.select(OrgUnit).where(OrgUnit.name == "Virksomhedsteam")
    )
    assert team.parent_id == jobcentre.id
    assert team.manager_id == boss.id
    assert Role.manager in db.session.get(User, boss.id).roles
    page = client.get("/admin/enheder")
    assert "Jobcenter Odense" in page.text
    assert "Virksomhedsteam" in page.text


def test_a_team_cannot_hang_directly_under_a_region(client, login_as, create_unit):
    region = create_unit(UnitKind.region, name="Nordjylland")
    login_as("admin")
    response = client.post(
        "/admin/enheder/ny",
        data={"kind": "team", "name": "Løst team", "parent_id": region.id},
    )
    assert response.status_code == 400
    assert "Et jobcenter hører under en region" in response.text
    assert (
        db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Løst team")) is None
    )


def test_unknown_manager_email_is_named_and_nothing_is_saved(
    client, login_as, create_unit
):
    jobcentre = create_unit(UnitKind.jobcentre)
    login_as("admin")
    response = client.post(
        "/admin/enheder/ny",
        data={
            "kind": "team",
            "name": "Nyt team",
            "parent_id": jobcentre.id,
            "manager_email": "ghost@jobcenter.demo.dk",
        },
    )
    assert response.status_code == 400
    assert "Ingen konto har denne e-mailadresse." in response.text
    assert (
        db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Nyt team")) is None
    )


def test_admin_appoints_a_key_person(client, login_as, create_user, create_unit):
    jobcentre = create_unit(UnitKind.jobcentre, name="Jobcenter Aarhus")
    person = create_user(email="eures@jobcenter.demo.dk")
    login_as("admin")
    response = client.post(
        "/admin/noeglepersoner",
        data={"email": person.email, "area": "eures", "jobcentre_id": jobcentre.id},
    )
    assert response.status_code == 302
    row = db.session.scalar(sa.select(KeyPerson))
    assert (row.user_id, row.area.value, row.jobcentre_id) == (
        person.id,
        "eures",
        jobcentre.id,
    )
    assert "EURES" in client.get("/admin/noeglepersoner").text


def test_user_list_is_searchable_and_paginated(client, login_as, create_user, app):
    for n in range(25):
        create_user(name=f"Søren {n:02d}")
    login_as("admin")
    page = client.get("/admin/brugere", query_string={"q": "søren"})
    assert page.status_code == 200
    assert page.text.count("Søren ") == app.config["PAGE_SIZE"]
    assert "Side 1 af 2" in page.text
    assert client.get("/admin/brugere", query_string={"page": "x"}).status_code == 200


def test_user_list_query_count_does_not_grow_with_users(
    client, login_as, create_user, count_queries, create_unit
):
    login_as("admin")
    team = create_unit()
    create_user(team=team)
    with count_queries() as few:
        client.get("/admin/brugere")
    for _ in range(15):
        create_user(team=create_unit())
    with count_queries() as many:
        client.get("/admin/brugere")
    assert len(few) == len(many)


def test_control_characters_typed_into_a_form_are_dropped(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "Nul\x00 Byte\x1b",
            "email": "nul@jobcenter.demo.dk",
            "roles": ["employee"],
            "employer_kind": "municipal",
            "team_id": 0,
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(
        sa.select(User).where(User.email == "nul@jobcenter.demo.dk")
    )
    assert user.name == "Nul Byte"


def test_too_long_name_is_refused_at_the_field_in_danish(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "name": "x" * 300,
            "email": "long@jobcenter.demo.dk",
            "roles": ["employee"],
            "employer_kind": "municipal",
            "team_id": 0,
        },
    )
    assert response.status_code == 400
    assert "Feltet må højst være 200 tegn langt." in response.text


class FormFields(HTMLParser):
    """What a browser would send for the first POST form on a page, as shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.data.setdefault(name, [])
                if "checked" in a:
                    self.data[name].append(a.get("value") or "y")
            elif kind != "submit":
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def shown_form(html: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.data


def test_edit_form_ticks_the_roles_and_keeps_them_when_only_the_name_changes(
    client, login_as, create_user, create_unit
):
    team = create_unit(UnitKind.team, name="Ungeteam")
    person = create_user(
        "employee", "manager", "coordinator", team=team, name="Karen Ibsen"
    )
    login_as("admin")
    page = client.get(f"/admin/brugere/{person.id}")
    assert page.status_code == 200
    data = shown_form(page.text)
    assert sorted(data["roles"]) == ["coordinator", "employee", "manager"]
    assert data["team_id"] == [str(team.id)]
    data["name"] = ["Karen Ibsen Holm"]
    response = client.post(f"/admin/brugere/{person.id}", data=data)
    assert response.status_code == 302, response.text
    saved = db.session.get(User, person.id)
    assert saved.name == "Karen Ibsen Holm"
    assert saved.roles == {Role.employee, Role.manager, Role.coordinator}
    assert saved.team_id == team.id
    assert saved.active is True
    again = shown_form(client.get(f"/admin/brugere/{person.id}").text)
    assert sorted(again["roles"]) == ["coordinator", "employee", "manager"]
