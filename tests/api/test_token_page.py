"""'Adgangsnøgler til API': a person makes tokens with the scopes they may give,
sees each secret once, and revokes their own (issue 20)."""

import sqlalchemy as sa

from core.db import db
from core.tokens import services as tokens
from core.tokens.models import ApiToken
from tests.courses.catalogue.factories import make_provider

PAGE = "/konto/adgangsnoegler/"


def _tokens() -> list[ApiToken]:
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)))


def test_the_page_offers_only_the_scopes_the_person_may_give(client, login_as):
    login_as("employee")
    employee_page = client.get(PAGE).get_data(as_text=True)
    make_provider(login_as("provider_staff"))  # staff of a provider
    staff_page = client.get(PAGE).get_data(as_text=True)

    assert "<h1>Adgangsnøgler til API</h1>" in employee_page
    assert "Læse dine egne kompetencegab, forslag, planer og tilmeldinger" in (
        employee_page
    )
    assert "kursusudbyders" not in employee_page
    assert "Læse din kursusudbyders kurser, hold og deltagere" in staff_page


def test_a_new_token_is_shown_once_and_works(client, login_as):
    person = login_as("employee")

    made = client.post(
        PAGE, data={"name": "HR-systemet æøå", "scopes": ["me:read"], "lifetime": "30"}
    )

    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    [token] = _tokens()
    page = made.get_data(as_text=True)
    secret = page.split('id="token-value" type="text" readonly value="')[1].split('"')[
        0
    ]
    assert secret.startswith(token.prefix)
    assert secret not in token.token_hash
    assert (token.user_id, token.name, token.scopes) == (
        person.id,
        "HR-systemet æøå",
        frozenset({"me:read"}),
    )
    assert token.expires_at is not None
    assert secret not in client.get(PAGE).get_data(as_text=True)
    api = client.get(
        "/api/v1/me/bookings", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 200


def test_a_token_needs_a_name_and_a_scope_it_may_have(client, login_as):
    login_as("employee")

    nameless = client.post(PAGE, data={"name": "  ", "scopes": ["me:read"]})
    scopeless = client.post(PAGE, data={"name": "HR"})
    beyond = client.post(PAGE, data={"name": "HR", "scopes": ["provider:read"]})

    assert (nameless.status_code, scopeless.status_code, beyond.status_code) == (
        400,
        400,
        400,
    )
    assert "Vælg mindst én." in scopeless.get_data(as_text=True)
    assert _tokens() == []


def test_a_person_revokes_their_own_token_and_not_anothers(
    client, login_as, create_user
):
    login_as("employee")
    client.post(PAGE, data={"name": "Mit system", "scopes": ["me:read"]})
    [mine] = _tokens()
    other = create_user()
    theirs, _secret = tokens.issue(other, "Deres", ["me:read"])
    db.session.commit()

    refused = client.post(f"{PAGE}{theirs.id}/tilbagekald")
    revoked = client.post(f"{PAGE}{mine.id}/tilbagekald", follow_redirects=True)

    assert refused.status_code == 404
    assert "Nøglen Mit system er tilbagekaldt." in revoked.get_data(as_text=True)
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]


def test_the_directorys_tokens_are_not_among_a_persons_own(client, login_as):
    """An administrator's SCIM token is the organisation's: it is listed and
    revoked on 'Brugerstyring fra kataloget', not on their own token page."""
    admin = login_as("admin")
    tokens.issue(admin, "Entra ID-synkronisering", ["scim"])
    tokens.issue(admin, "Mit eget script", ["me:read"])

    own = client.get(PAGE).get_data(as_text=True)
    directory = client.get("/admin/katalog/").get_data(as_text=True)

    assert "Mit eget script" in own
    assert "Entra ID-synkronisering" not in own
    assert "Entra ID-synkronisering" in directory
    assert "Mit eget script" not in directory
