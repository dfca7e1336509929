"""The administrator's provider pages: access, creating providers, linking staff."""

import pytest
import sqlalchemy as sa

from core.db import db
from courses.catalogue.models import Provider, ProviderMember


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("employee", 403),
        ("manager", 403),
        ("coordinator", 403),
        ("provider_staff", 403),
        ("admin", 200),
    ],
)
def test_provider_admin_access(client, login_as, make_provider, role, status):
    provider = make_provider()
    if role != "anonymous":
        login_as(role)
    for path in ("/udbydere/", "/udbydere/ny", f"/udbydere/{provider.id}"):
        assert client.get(path).status_code == status, path
    posted = 302 if role in ("anonymous", "admin") else 403
    for path in (
        f"/udbydere/{provider.id}/medarbejdere",
        f"/udbydere/{provider.id}/medarbejdere/1/fjern",
    ):
        assert client.post(path, data={"email": "x@y.dk"}).status_code in (
            posted,
            404,
        ), path


def _data(**changes) -> dict:
    data = {
        "key": "ucn",
        "name": "UCN",
        "kind": "university_college",
        "url": "https://www.ucn.dk",
        "description": "",
        "default_capacity": "25",
    }
    return data | changes


def test_admin_creates_a_provider_and_links_staff(client, login_as, create_user):
    login_as("admin")
    assert client.post("/udbydere/ny", data=_data()).status_code == 302
    provider = db.session.scalar(sa.select(Provider).where(Provider.key == "ucn"))
    assert provider.default_capacity == 25
    staff = create_user("provider_staff", name="Jens Underviser")
    response = client.post(
        f"/udbydere/{provider.id}/medarbejdere", data={"email": staff.email.upper()}
    )
    assert (
        "Jens Underviser arbejder nu for UCN."
        in client.get(response.headers["Location"]).text
    )
    assert db.session.get(ProviderMember, (provider.id, staff.id)) is not None
    client.post(f"/udbydere/{provider.id}/medarbejdere/{staff.id}/fjern")
    db.session.expire_all()
    assert db.session.get(ProviderMember, (provider.id, staff.id)) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "Ugyldig nøgle"}, "Brug små bogstaver, tal og bindestreger."),
        ({"default_capacity": "-2"}, "Pladser pr. hold"),
        ({"kind": "school"}, "Type af udbyder"),
        ({"url": "ftp:/x"}, "Hjemmeside"),
    ],
)
def test_bad_provider_input_is_refused(client, login_as, changes, message):
    login_as("admin")
    response = client.post("/udbydere/ny", data=_data(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count(Provider.id))) == 0


def test_provider_key_must_be_new(client, login_as, make_provider):
    login_as("admin")
    client.post("/udbydere/ny", data=_data())
    response = client.post("/udbydere/ny", data=_data(name="Andet"))
    assert "En anden udbyder har allerede denne nøgle." in response.text


def test_only_provider_staff_can_be_linked(
    client, login_as, make_provider, create_user
):
    login_as("admin")
    provider = make_provider()
    employee = create_user("employee")
    response = client.post(
        f"/udbydere/{provider.id}/medarbejdere", data={"email": employee.email}
    )
    assert "Giv først personen rollen" in client.get(response.headers["Location"]).text
    response = client.post(
        f"/udbydere/{provider.id}/medarbejdere", data={"email": "ukendt@x.dk"}
    )
    assert (
        "Ingen konto har den e-mailadresse."
        in client.get(response.headers["Location"]).text
    )
