"""`flask prune-sign-ins` (cron): the rows the sign-in and API limits count go once
the longest window is past, so an installation whose people sign in only through
single sign-on, or whose systems call the API, does not keep every request for
ever; ended browser sessions go too. What a limit still reads is kept."""

from datetime import timedelta

import sqlalchemy as sa

from core.db import db
from core.people.models import LoginAttempt, LoginSession
from core.tokens import services as tokens
from tests.dates import at, working_day

PASSWORD = "korrekt hest batteri"
# A working morning a month ahead, computed from the clock, never a fixed day.
START = at(working_day(20))


def _attempts() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(sa.select(LoginAttempt.kind)))


def _sessions() -> int:
    return db.session.scalar(sa.select(sa.func.count(LoginSession.id)))


def _prune(app) -> str:
    result = app.test_cli_runner().invoke(args=["prune-sign-ins"])
    assert result.exit_code == 0, result.output
    return result.output


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _sign_in(client, email, password):
    return client.post("/log-ind", data={"email": email, "password": password})


def test_rows_go_after_the_longest_window_and_the_limits_still_hold(
    app, client, create_user, travel
):
    travel(START)
    person = create_user(email="aase.oestergaard@jobcenter.demo.dk", password=PASSWORD)
    system = create_user(name="Søren Ærø")
    # A system that called three times and then no more (a token that calls
    # deletes only its own old rows), and one that calls later.
    _token, retired = tokens.issue(system, "Gammelt lønsystem", ["me:read"])
    _token, current = tokens.issue(system, "Lønsystem", ["me:read"])
    db.session.commit()
    for _ in range(3):
        answer = client.get("/api/v1/me/plans", headers=_bearer(retired))
        assert answer.status_code == 200
    for _ in range(5):
        assert _sign_in(client, person.email, "forkert kodeord").status_code == 401
    assert _attempts() == ["api_token"] * 3 + ["login"] * 5

    # Ten minutes on: the token's one-minute window is past, the sign-in limit's
    # fifteen minutes are not, so nothing goes and the account stays locked.
    travel(START + timedelta(minutes=10))
    assert client.get("/api/v1/me/plans", headers=_bearer(current)).status_code == 200
    assert "0 counted attempt(s)" in _prune(app)
    assert len(_attempts()) == 9
    assert _sign_in(client, person.email, PASSWORD).status_code == 429

    # Past the longest window the first rows go, the request since is kept.
    travel(START + timedelta(minutes=16))
    assert "8 counted attempt(s)" in _prune(app)
    assert _attempts() == ["api_token"]
    assert _sign_in(client, person.email, PASSWORD).status_code == 302


def test_ended_sessions_go_and_a_live_one_stays_signed_in(
    app, client, create_user, travel
):
    travel(START)
    first = create_user(email="mette.holm@jobcenter.demo.dk", password=PASSWORD)
    assert _sign_in(client, first.email, PASSWORD).status_code == 302
    lifetime = db.session.scalar(sa.select(LoginSession.expires_at)) - travel(START)

    later = app.test_client()
    travel(START + lifetime - timedelta(minutes=1))
    second = create_user(email="niels.aa@jobcenter.demo.dk", password=PASSWORD)
    assert _sign_in(later, second.email, PASSWORD).status_code == 302
    assert "0 ended session(s)" in _prune(app)
    assert client.get("/").status_code == 200

    travel(START + lifetime)
    assert "1 ended session(s)" in _prune(app)
    assert _sessions() == 1
    assert client.get("/").status_code == 302
    assert later.get("/").status_code == 200
