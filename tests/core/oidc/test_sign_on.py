"""Single sign-on against a real OpenID provider (oidc-provider on loopback): the
code flow with PKCE through its pages, the account found by subject id or linked
once by e-mail, roles and team from the groups, and every spoiled answer refused
with a Danish message and a 4xx."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import LoginSession, Role, UnitKind, User
from core.sso.models import SignOnIdentity
from tests.core.oidc.conftest import BACK


@pytest.fixture
def team_nord(create_unit):
    region = create_unit(UnitKind.region, "Region Nord")
    jobcentre = create_unit(UnitKind.jobcentre, "Jobcenter Nord", region)
    return create_unit(UnitKind.team, "Team Nord", jobcentre)


@pytest.fixture
def create_users(app, monkeypatch):
    monkeypatch.setitem(app.config, "OIDC_CREATE_USERS", True)


def go_out(client) -> str:
    """Where the app sends the browser to sign in: the provider's authorize URL."""
    response = client.get("/log-ind/organisation")
    assert response.status_code == 302
    return response.headers["Location"]


def come_back(client, provider, login: str):
    """Sign in at the provider as `login` and follow it back to the app."""
    back = provider.sign_in(go_out(client), login, back_to=BACK)
    return client.get(back.removeprefix("http://localhost"))


def text(response) -> str:
    return " ".join(response.text.split())


def test_the_sign_in_page_offers_the_organisations_account(client):
    page = client.get("/log-ind")
    assert "Log ind med din organisations konto" in page.text
    assert 'name="password"' in page.text


def test_the_way_out_asks_for_a_code_with_pkce_state_and_nonce(client, provider):
    url = go_out(client)
    assert url.startswith(provider.issuer + "/auth?")
    for part in (
        "response_type=code",
        "code_challenge_method=S256",
        "state=",
        "nonce=",
    ):
        assert part in url
    assert "scope=openid" in url


def test_a_new_person_is_created_with_the_roles_and_team_of_their_groups(
    client, provider, team_nord, create_users
):
    response = come_back(client, provider, "lene.leder")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = text(client.get("/"))
    assert "Dine roller: Medarbejder, Leder." in page
    assert "Team: Team Nord, Jobcenter Nord." in page
    user = db.session.scalar(sa.select(User).where(User.name == "Lene Leder"))
    assert user.email == "lene.leder@jobcenter.example"
    identity = db.session.scalar(sa.select(SignOnIdentity))
    assert (identity.user_id, identity.subject) == (user.id, "lene.leder")
    assert identity.issuer == provider.issuer


def test_a_group_can_give_several_roles(client, provider, create_users):
    come_back(client, provider, "kim.koordinator")
    user = db.session.scalar(sa.select(User).where(User.name == "Kim Koordinator"))
    assert user.roles == {Role.employee, Role.coordinator, Role.admin}


def test_without_creation_an_unknown_person_is_refused(client, provider):
    response = come_back(client, provider, "mads.medarbejder")
    assert response.status_code == 403
    assert "Du har endnu ikke en konto her." in text(response)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert client.get("/").status_code == 302  # not signed in


def test_the_first_sign_in_links_the_account_with_that_email(
    client, provider, create_user, team_nord
):
    mads = create_user("employee", email="mads.medarbejder@jobcenter.example")
    assert come_back(client, provider, "mads.medarbejder").status_code == 302
    linked = db.session.scalar(sa.select(SignOnIdentity))
    assert (linked.user_id, linked.subject) == (mads.id, "mads.medarbejder")
    db.session.refresh(mads)
    assert mads.team_id == team_nord.id


def test_after_linking_the_subject_finds_the_account_whatever_its_email(
    client, provider, create_user
):
    mads = create_user("employee", email="mads.medarbejder@jobcenter.example")
    come_back(client, provider, "mads.medarbejder")
    client.post("/log-ud")
    mads.email = "mads.nyt.navn@jobcenter.example"
    db.session.commit()
    assert come_back(client, provider, "mads.medarbejder").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_an_email_whose_account_is_linked_to_someone_else_is_refused(
    client, provider, create_user, create_users
):
    taken = create_user("employee", email="optaget@jobcenter.example")
    db.session.add(
        SignOnIdentity(user=taken, issuer=provider.issuer, subject="somebody-else")
    )
    db.session.commit()
    response = come_back(client, provider, "anden.person")
    assert response.status_code == 403
    assert "allerede knyttet til en anden person" in text(response)
    assert db.session.scalar(sa.select(sa.func.count(SignOnIdentity.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0


def test_a_deactivated_account_is_refused(client, provider, create_user):
    create_user(email="mads.medarbejder@jobcenter.example", active=False)
    response = come_back(client, provider, "mads.medarbejder")
    assert response.status_code == 403
    assert "Din konto er deaktiveret." in text(response)


def test_the_groups_replace_roles_at_every_sign_in(client, provider, create_user):
    lene = create_user("employee", "admin", email="lene.leder@jobcenter.example")
    come_back(client, provider, "lene.leder")
    db.session.refresh(lene)
    assert lene.roles == {Role.employee, Role.manager}


@pytest.mark.parametrize(
    ("spoil", "why"),
    [
        ({"tamper": True, "sub": "kim.koordinator"}, "tampered"),
        ({"aud": "another-client"}, "wrong audience"),
        ({"exp": -600, "iat": -1200}, "expired"),
        ({"nonce": "not-the-nonce-we-sent"}, "mismatched nonce"),
        ({"iss": "http://127.0.0.1:1"}, "another issuer"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_spoiled_id_token_is_refused(client, provider, create_users, spoil, why):
    provider.spoil_next_id_token(**spoil)
    response = come_back(client, provider, "mads.medarbejder")
    assert response.status_code == 401, why
    assert "kunne ikke bekræftes, så du er ikke logget ind" in text(response)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0
    assert client.get("/").status_code == 302


def test_a_replayed_state_is_refused(client, provider, create_users):
    back = provider.sign_in(go_out(client), "mads.medarbejder", back_to=BACK)
    path = back.removeprefix("http://localhost")
    assert client.get(path).status_code == 302
    client.post("/log-ud")
    replay = client.get(path)
    assert replay.status_code == 400
    assert "Dette log ind-forsøg kendes ikke eller er allerede brugt." in text(replay)


def test_a_state_from_another_browser_is_refused(app, client, provider, create_users):
    back = provider.sign_in(go_out(client), "mads.medarbejder", back_to=BACK)
    other_browser = app.test_client()
    response = other_browser.get(back.removeprefix("http://localhost"))
    assert response.status_code == 400
    assert "kendes ikke eller er allerede brugt" in text(response)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_code_without_its_pkce_verifier_is_refused(client, provider, create_users):
    """A stolen code, sent back with a state of the thief's own: the provider
    refuses to exchange it, since the thief's session holds another verifier."""
    stolen = provider.sign_in(go_out(client), "mads.medarbejder", back_to=BACK)
    code = stolen.split("code=")[1].split("&")[0]
    thief = client.application.test_client()
    thief_state = go_out(thief).split("state=")[1].split("&")[0]
    response = thief.get(f"/log-ind/organisation/retur?code={code}&state={thief_state}")
    assert response.status_code == 401
    assert "lukkede dig ikke ind" in text(response)


def test_signing_out_ends_the_providers_session_too(client, provider, create_users):
    come_back(client, provider, "mads.medarbejder")
    response = client.post("/log-ud")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(provider.issuer + "/session/end?")
    assert "id_token_hint=" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Flocalhost%2Flog-ind" in location
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0
    assert client.get("/").status_code == 302


def test_a_password_sign_out_stays_here(client, login_as):
    login_as("employee")
    response = client.post("/log-ud")
    assert response.headers["Location"] == "/log-ind"


def test_password_sign_in_can_be_switched_off(app, client, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", False)
    create_user(email="mads@jobcenter.example", password="hemmeligt-kodeord-1")
    page = client.get("/log-ind")
    assert 'name="password"' not in page.text
    assert "Log ind med din organisations konto" in page.text
    response = client.post(
        "/log-ind",
        data={"email": "mads@jobcenter.example", "password": "hemmeligt-kodeord-1"},
    )
    assert response.status_code == 403
    assert "Log ind med e-mail og adgangskode er slået fra her." in text(response)
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0


def test_the_sign_out_form_may_go_on_to_the_provider(client, provider):
    """Chromium checks a form's redirects against form-action: without the
    provider there, signing out would stop at the app's own page."""
    policy = client.get("/log-ind").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer};" in policy
