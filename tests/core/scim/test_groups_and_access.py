"""/scim/v2/Groups with the settings' mapping to roles and teams, who may call
SCIM at all, and the administrator's page for the tokens."""

import re

import pytest

from core.db import db
from core.people.models import Role, User
from core.tokens import services as tokens
from core.tokens.models import ApiToken

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def mapping(app, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_GROUP_ROLES", {"Ledere": ["manager"]})
    monkeypatch.setitem(
        app.config,
        "OIDC_GROUP_UNITS",
        {"sg-nord": "Region Midt/Jobcenter Aarhus/Nord"},
    )


def test_a_group_gives_its_members_the_roles_and_team_it_maps_to(
    scim, teams, create_user, mapping
):
    person = create_user(team=teams["Syd"])

    leaders = scim(
        "POST",
        "/Groups",
        {
            "schemas": [GROUP],
            "displayName": "Ledere",
            "members": [{"value": str(person.id)}],
        },
    )
    nord = scim(
        "POST",
        "/Groups",
        {"displayName": "Team Nord", "externalId": "sg-nord", "members": []},
    )
    scim(
        "PATCH",
        f"/Groups/{nord.json['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": str(person.id)}]}
            ],
        },
    )

    assert leaders.status_code == 201
    assert leaders.json["members"][0]["value"] == str(person.id)
    person = db.session.get(User, person.id)
    assert person.roles == {Role.employee, Role.manager}
    assert person.team == teams["Nord"]
    seen = scim("GET", f"/Users/{person.id}").json
    assert sorted(g["display"] for g in seen["groups"]) == ["Ledere", "Team Nord"]

    removed = scim(
        "PATCH",
        f"/Groups/{leaders.json['id']}",
        {"Operations": [{"op": "Remove", "path": f'members[value eq "{person.id}"]'}]},
    )

    assert removed.status_code == 200
    assert "members" not in removed.json
    assert db.session.get(User, person.id).roles == {Role.employee}


def test_groups_filter_and_refuse_bad_members_and_taken_names(scim, create_user):
    scim("POST", "/Groups", {"displayName": "Ledere"})

    found = scim("GET", '/Groups?filter=displayName eq "ledere"').json
    taken = scim("POST", "/Groups", {"displayName": "LEDERE"})
    unknown = scim(
        "POST", "/Groups", {"displayName": "X", "members": [{"value": "424242"}]}
    )

    assert [g["displayName"] for g in found["Resources"]] == ["Ledere"]
    assert (taken.status_code, taken.json["scimType"]) == (409, "uniqueness")
    assert (unknown.status_code, unknown.json["scimType"]) == (400, "invalidValue")
    assert scim("GET", '/Groups?filter=displayName eq "X"').json["totalResults"] == 0


def test_deleting_a_group_takes_its_roles_back(scim, create_user, mapping):
    person = create_user()
    group = scim(
        "POST",
        "/Groups",
        {"displayName": "Ledere", "members": [{"value": str(person.id)}]},
    ).json

    assert scim("DELETE", f"/Groups/{group['id']}").status_code == 204
    assert scim("GET", f"/Groups/{group['id']}").status_code == 404
    assert db.session.get(User, person.id).roles == {Role.employee}


def test_without_a_valid_token_it_is_401_as_scim_error(client, scim_token):
    for headers in ({}, {"Authorization": "Bearer kp_forkert"}):
        response = client.get("/scim/v2/Users", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json["status"] == "401"


def test_a_personal_token_or_a_former_admins_token_is_403(
    client, admin, scim_token, create_user
):
    person = create_user()
    _token, personal = tokens.issue(person, "Mit script", ["me:read"])
    db.session.commit()

    personal_answer = client.get(
        "/scim/v2/Users", headers={"Authorization": f"Bearer {personal}"}
    )
    admin.set_roles([Role.employee])
    db.session.commit()
    former = client.get(
        "/scim/v2/Users", headers={"Authorization": f"Bearer {scim_token}"}
    )

    assert personal_answer.status_code == 403
    assert former.status_code == 403
    assert former.json["detail"] == "Nøglens ejer er ikke længere administrator."


def test_a_browser_session_is_not_enough(client, login_as):
    login_as("admin")

    assert client.get("/scim/v2/Users").status_code == 401
    assert client.post("/scim/v2/Users", json={"userName": "x"}).status_code == 401


def test_an_admin_makes_a_token_sees_it_once_and_revokes_it(client, login_as):
    login_as("admin")

    page = client.get("/admin/katalog/")
    made = client.post("/admin/katalog/", data={"name": "Entra ID", "lifetime": "365"})
    secret = re.search(r'id="token-value"[^>]*value="([^"]+)"', made.text)[1]
    works = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {secret}"})
    again = client.get("/admin/katalog/")
    token = db.session.query(ApiToken).one()
    revoked = client.post(
        f"/admin/katalog/{token.id}/tilbagekald", follow_redirects=True
    )
    refused = client.get(
        "/scim/v2/Users", headers={"Authorization": f"Bearer {secret}"}
    )

    assert page.status_code == 200
    assert "<h1>Brugerstyring fra kataloget</h1>" in page.text
    assert made.status_code == 201
    assert "den vises kun denne ene gang" in made.text
    assert works.status_code == 200
    assert secret not in again.text
    assert token.scopes == {"scim"}
    assert "Nøglen Entra ID er tilbagekaldt." in revoked.text
    assert refused.status_code == 401


def test_a_token_needs_a_name_and_only_admins_see_the_page(client, login_as):
    login_as("admin")
    nameless = client.post("/admin/katalog/", data={"name": " ", "lifetime": ""})

    assert nameless.status_code == 400
    assert db.session.query(ApiToken).count() == 0


def test_the_page_is_for_administrators_only(client, login_as):
    login_as("employee")

    assert client.get("/admin/katalog/").status_code == 403
