"""/scim/v2/Users as a directory uses it: what it sends and what it reads back."""

from datetime import timedelta

import sqlalchemy as sa

from core.db import db
from core.people import services as people
from core.people.models import EmployerKind, LoginSession, User
from core.scim.schemas import ENTERPRISE_USER
from courses.bookings import services as bookings
from courses.bookings.models import Booking
from tests.courses.catalogue.factories import make_session

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def entra_user(user_name="anne.hansen@aarhus.dk", **extra) -> dict:
    """A user as Entra ID's provisioning sends it."""
    return {
        "schemas": [USER, ENTERPRISE_USER],
        "externalId": "8f1c2a",
        "userName": user_name,
        "active": True,
        "displayName": "Anne Hansen",
        "name": {"givenName": "Anne", "familyName": "Hansen"},
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "userType": "state",
        ENTERPRISE_USER: {"department": "Region Midt/Jobcenter Aarhus/Nord"},
        **extra,
    }


def count_users() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_a_created_person_has_an_account_and_reads_back(scim, teams):
    created = scim("POST", "/Users", entra_user())

    assert created.status_code == 201
    assert created.content_type == "application/scim+json"
    body = created.json
    assert created.headers["Location"] == body["meta"]["location"]
    assert body["userName"] == "anne.hansen@aarhus.dk"
    assert body["emails"] == [{"value": "anne.hansen@aarhus.dk"}]
    assert body[ENTERPRISE_USER] == {"department": "Region Midt/Jobcenter Aarhus/Nord"}
    user = db.session.get(User, int(body["id"]))
    assert (user.name, user.email, user.active) == (
        "Anne Hansen",
        "anne.hansen@aarhus.dk",
        True,
    )
    assert user.employer_kind is EmployerKind.state
    assert user.team == teams["Nord"]
    assert scim("GET", f"/Users/{body['id']}").json == body


def test_filter_by_user_name_finds_one_person_whatever_the_case(scim, teams):
    scim("POST", "/Users", entra_user())
    scim("POST", "/Users", entra_user("bo@aarhus.dk", externalId="9"))

    found = scim("GET", '/Users?filter=userName eq "Anne.Hansen@Aarhus.dk"').json
    none = scim("GET", '/Users?filter=userName eq "ingen@aarhus.dk"').json

    assert found["totalResults"] == 1
    assert [r["userName"] for r in found["Resources"]] == ["anne.hansen@aarhus.dk"]
    assert (none["totalResults"], none["Resources"]) == (0, [])


def test_an_account_made_by_hand_is_found_by_its_e_mail(scim, create_user):
    create_user(email="kirsten@aarhus.dk", name="Kirsten")

    found = scim("GET", '/Users?filter=userName eq "kirsten@aarhus.dk"').json

    assert [r["displayName"] for r in found["Resources"]] == ["Kirsten"]


def test_pages_with_start_index_and_count(scim, admin, create_user):
    made = [create_user() for _ in range(5)]
    everyone = sorted([admin.id, *(u.id for u in made)])

    page = scim("GET", "/Users?startIndex=2&count=2").json

    assert page["totalResults"] == 6
    assert (page["startIndex"], page["itemsPerPage"]) == (2, 2)
    assert [int(r["id"]) for r in page["Resources"]] == everyone[1:3]


def test_the_list_reads_a_fixed_number_of_queries(scim, create_user, count_queries):
    for _ in range(2):
        create_user()
    scim("GET", "/Users")  # the token's first use writes when it was used
    with count_queries() as few:
        scim("GET", "/Users")
    for _ in range(20):
        create_user()
    with count_queries() as many:
        assert len(scim("GET", "/Users").json["Resources"]) == 23

    assert len(many) == len(few)


def test_attributes_and_excluded_attributes(scim, teams):
    user_id = scim("POST", "/Users", entra_user()).json["id"]

    only = scim("GET", f"/Users/{user_id}?attributes=userName").json
    without = scim("GET", f"/Users/{user_id}?excludedAttributes=emails").json

    assert set(only) == {"schemas", "id", "userName"}
    assert "emails" not in without
    assert without["userName"] == "anne.hansen@aarhus.dk"


def test_a_taken_user_name_or_e_mail_is_409(scim, teams, create_user):
    scim("POST", "/Users", entra_user())
    create_user(email="taken@aarhus.dk")

    again = scim("POST", "/Users", entra_user())
    same_mail = scim(
        "POST",
        "/Users",
        entra_user("new@aarhus.dk", emails=[{"value": "taken@aarhus.dk"}]),
    )

    for response in (again, same_mail):
        assert response.status_code == 409
        assert response.json["schemas"] == [ERROR]
        assert response.json["scimType"] == "uniqueness"
        assert response.json["status"] == "409"


def test_bad_values_are_400_in_danish_and_write_nothing(scim, teams):
    before = count_users()
    cases = [
        entra_user(**{ENTERPRISE_USER: {"department": "Region Midt/Ukendt"}}),
        entra_user(userType="privat"),
        entra_user(active="nej"),
        entra_user(userName=""),
        entra_user(emails=[{"value": "ikke en adresse"}]),
    ]

    answers = [scim("POST", "/Users", case) for case in cases]

    assert [a.status_code for a in answers] == [400] * 5
    assert {a.json["scimType"] for a in answers} == {"invalidValue"}
    assert "Der er intet team på 'Region Midt/Ukendt'" in answers[0].json["detail"]
    assert count_users() == before


def test_a_bad_filter_is_400_invalid_filter(scim):
    for query in ('userName eq "x', "userName zz 1", 'password eq "x"', "(", ""):
        response = scim("GET", "/Users", query_string={"filter": query or " "})
        assert response.status_code == 400, query
        assert response.json["scimType"] == "invalidFilter"


def test_an_unknown_id_is_404(scim):
    for path in ("/Users/999999", "/Users/abc", "/Users/99999999999", "/Groups/7"):
        response = scim("GET", path)
        assert response.status_code == 404
        assert response.json["schemas"] == [ERROR]


def test_entra_deactivates_with_a_patch_and_the_person_is_signed_out(scim, teams):
    user_id = scim("POST", "/Users", entra_user()).json["id"]
    user = db.session.get(User, int(user_id))
    people.start_login_session(user, lifetime=timedelta(hours=1))
    db.session.commit()

    response = scim(
        "PATCH",
        f"/Users/{user_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "active", "value": "False"},
                {
                    "op": "Add",
                    "path": 'emails[type eq "work"].value',
                    "value": "anne.h@aarhus.dk",
                },
            ],
        },
    )

    assert response.status_code == 200
    assert response.json["active"] is False
    assert response.json["emails"] == [{"value": "anne.h@aarhus.dk"}]
    assert db.session.get(User, int(user_id)).active is False
    assert (
        db.session.scalars(
            sa.select(LoginSession).where(LoginSession.user_id == int(user_id))
        ).all()
        == []
    )


def test_a_patch_with_an_unknown_operation_or_path_changes_nothing(scim, teams):
    user_id = scim("POST", "/Users", entra_user()).json["id"]

    bad_op = scim(
        "PATCH",
        f"/Users/{user_id}",
        {"Operations": [{"op": "move", "path": "active", "value": False}]},
    )
    bad_path = scim(
        "PATCH",
        f"/Users/{user_id}",
        {
            "Operations": [
                {"op": "replace", "path": "active", "value": False},
                {"op": "replace", "path": "password", "value": "x"},
            ]
        },
    )

    assert (bad_op.status_code, bad_op.json["scimType"]) == (400, "invalidSyntax")
    assert (bad_path.status_code, bad_path.json["scimType"]) == (400, "invalidPath")
    assert db.session.get(User, int(user_id)).active is True


def test_deleting_deactivates_and_keeps_the_history(scim, teams):
    user_id = int(scim("POST", "/Users", entra_user()).json["id"])
    user = db.session.get(User, user_id)
    booking = bookings.book(user, make_session())
    db.session.commit()

    deleted = scim("DELETE", f"/Users/{user_id}")

    assert deleted.status_code == 204
    assert scim("GET", f"/Users/{user_id}").status_code == 404
    listed = scim("GET", '/Users?filter=userName eq "anne.hansen@aarhus.dk"').json
    assert listed["totalResults"] == 0
    kept = db.session.get(User, user_id)
    assert kept is not None
    assert kept.active is False
    assert db.session.get(Booking, booking.id).user_id == user_id

    back = scim("POST", "/Users", entra_user())

    assert back.status_code == 201
    assert back.json["id"] == str(user_id)
    assert db.session.get(User, user_id).active is True


def test_odd_input_gets_a_scim_error_never_a_500(scim, teams):
    user_id = scim("POST", "/Users", entra_user()).json["id"]
    patch = f"/Users/{user_id}"
    requests = [
        ("GET", '/Users?filter=userType eq "privat"', None),
        ("GET", '/Users?filter=userType co "sta"', None),
        ("GET", "/Users?startIndex=99999999999999999999&count=-4", None),
        ("GET", "/Users?startIndex=to", None),
        ("POST", "/Users", ["not", "an", "object"]),
        ("POST", "/Users", entra_user("x@aarhus.dk", userName=17)),
        ("POST", "/Users", entra_user("y@aarhus.dk", emails="y@aarhus.dk")),
        ("PATCH", patch, {"Operations": [{"op": "add", "path": "emails", "value": 1}]}),
        ("PATCH", patch, {"Operations": [{"op": "remove", "path": "userName"}]}),
        ("PATCH", patch, {"Operations": [{"op": "add", "value": "x"}]}),
        ("PATCH", patch, {"Operations": "add"}),
        ("PATCH", patch, {"Operations": [{"op": "replace", "path": "id", "value": 1}]}),
        (
            "PATCH",
            patch,
            {"Operations": [{"op": "replace", "path": 'emails[x eq "1"]', "value": 2}]},
        ),
        ("PUT", patch, {"userName": ""}),
    ]

    for method, path, body in requests:
        response = scim(method, path, body)
        assert response.status_code in (200, 400), (method, path, body)
        assert response.content_type == "application/scim+json"
    kinds = scim("GET", '/Users?filter=userType eq "state"').json
    assert kinds["totalResults"] == 1
