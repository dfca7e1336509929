"""A provider's API tokens (issue 20: 'for providers by their staff'): every
staff member sees the provider-scope tokens any colleague made and may revoke
one; a token stops working when its maker no longer works for a provider, and
removing someone from their last provider revokes it and says so."""

import re

import sqlalchemy as sa

from core.db import db
from core.tokens.models import ApiToken
from courses.catalogue.models import ProviderMember
from tests.courses.catalogue.factories import make_course, make_provider

COURSES = "/api/v1/provider/courses"


def _page(provider) -> str:
    return f"/udbyder/{provider.id}/adgangsnoegler"


def _revoke(provider, token_id: int) -> str:
    return f"/udbyder/{provider.id}/adgangsnoegler/{token_id}/tilbagekald"


def _token_id(headers) -> int:
    return db.session.scalar(sa.select(sa.func.max(ApiToken.id)))


def test_a_colleague_sees_and_revokes_a_token_another_made(
    client, create_user, login_as, token_for
):
    maker = create_user("provider_staff", name="Åse Kursussystem")
    colleague = create_user("provider_staff", name="Bent Kollega")
    provider = make_provider(maker, colleague, name="Udbyderen")
    make_course(provider, title="Kursus om æøå")
    headers = token_for(maker, "provider:read")
    token_id = _token_id(headers)
    token_for(maker, "me:read")  # a personal token: not the provider's
    assert client.get(COURSES, headers=headers).status_code == 200

    login_as(colleague)
    listing = client.get("/udbyder/")
    assert _page(provider) in listing.text
    page = client.get(_page(provider))
    assert page.status_code == 200
    assert "Adgangsnøgler til API for Udbyderen" in page.text
    assert "Åse Kursussystem" in page.text
    assert page.text.count("<tbody>") == 1
    assert len(re.findall(r"<tr>", page.text)) == 2  # the head and one token
    assert [h for h in re.findall(r"<h(\d)", page.text)] == ["1"]

    revoked = client.post(_revoke(provider, token_id), follow_redirects=True)
    assert revoked.status_code == 200
    assert "Nøglen Test, lavet af Åse Kursussystem, er tilbagekaldt." in revoked.text
    assert "Tilbagekaldt" in revoked.text
    assert client.get(COURSES, headers=headers).status_code == 401


def test_only_the_providers_own_tokens_are_listed_and_revoked_there(
    client, create_user, login_as, token_for
):
    staff = create_user("provider_staff")
    other = create_user("provider_staff", name="Fremmed Medarbejder")
    provider = make_provider(staff)
    foreign = make_provider(other)
    headers = token_for(other, "provider:read")
    token_id = _token_id(headers)

    login_as(staff)
    assert "Fremmed Medarbejder" not in client.get(_page(provider)).text
    assert "Ingen hos udbyderen har lavet en nøgle endnu." in (
        client.get(_page(provider)).text
    )
    assert client.post(_revoke(provider, token_id)).status_code == 404
    assert client.get(_page(foreign)).status_code == 403
    assert client.post(_revoke(foreign, token_id)).status_code == 403
    assert client.get(COURSES, headers=headers).status_code == 200


def test_who_may_use_the_page(client, create_user, login_as, token_for):
    staff = create_user("provider_staff")
    provider = make_provider(staff)
    token_id = _token_id(token_for(staff, "provider:read"))
    for role, status in (("employee", 403), ("coordinator", 403), ("admin", 200)):
        login_as(role)
        assert client.get(_page(provider)).status_code == status, role
    client.post("/log-ud")
    assert client.get(_page(provider)).status_code == 302  # to the sign-in page
    assert client.post(_revoke(provider, token_id)).status_code == 302
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_removing_someone_from_their_last_provider_revokes_their_tokens(
    client, create_user, login_as, token_for
):
    leaver = create_user("provider_staff", name="Lise Går")
    provider = make_provider(leaver)
    headers = token_for(leaver, "provider:read")
    personal = token_for(leaver, "me:read")

    login_as("admin")
    answer = client.post(
        f"/udbydere/{provider.id}/medarbejdere/{leaver.id}/fjern",
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert "1 API-adgangsnøgler lavet af Lise Går er tilbagekaldt." in answer.text
    assert client.get(COURSES, headers=headers).status_code == 401
    assert client.get("/api/v1/me/bookings", headers=personal).status_code == 200


def test_a_token_stops_when_its_maker_stops_working_for_a_provider(
    client, create_user, token_for
):
    """However the membership ends (here straight in the database, as a directory
    sync or a script might), the token no longer reads a provider's data."""
    leaver = create_user("provider_staff")
    provider = make_provider(leaver)
    make_course(provider)
    headers = token_for(leaver, "provider:read")
    assert client.get(COURSES, headers=headers).status_code == 200

    db.session.execute(
        sa.delete(ProviderMember).where(ProviderMember.user_id == leaver.id)
    )
    db.session.commit()
    refused = client.get(COURSES, headers=headers)
    assert refused.status_code == 403
    assert "insufficient_scope" in refused.headers["WWW-Authenticate"]


def test_staff_of_two_providers_keep_their_token_for_the_other(
    client, create_user, login_as, token_for
):
    staff = create_user("provider_staff")
    left = make_provider(staff)
    kept = make_provider(staff)
    make_course(left, title="Det gamle sted")
    make_course(kept, title="Det nye sted")
    headers = token_for(staff, "provider:read")

    login_as("admin")
    answer = client.post(
        f"/udbydere/{left.id}/medarbejdere/{staff.id}/fjern", follow_redirects=True
    )
    assert "tilbagekaldt" not in answer.text
    courses = client.get(COURSES, headers=headers).get_json()
    assert [c["title"] for c in courses["items"]] == ["Det nye sted"]


def test_provider_staff_without_a_provider_cannot_make_a_provider_token(
    client, login_as
):
    login_as("provider_staff")
    page = client.get("/konto/adgangsnoegler/")
    assert 'value="provider:read"' not in page.text
    refused = client.post(
        "/konto/adgangsnoegler/",
        data={"name": "Kursussystem", "scopes": ["provider:read"]},
    )
    assert refused.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
