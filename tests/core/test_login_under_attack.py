"""Sign-in under attack: the limits hold across gunicorn workers (they live in the
database), and refusals are logged with the account and address, never with what
was typed."""

import http.cookiejar
import logging
import re
import urllib.error
import urllib.parse
import urllib.request

from tests.gunicorn import serving

PASSWORD = "correct horse battery"
TYPED = "Hemmelig-Adgangskode-42"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _login(base: str, email: str, password: str) -> int:
    """One sign-in through the real form, as a browser would: fetch the page for
    its CSRF token, then post."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/log-ind", timeout=30).read().decode()
    token = _CSRF.search(page).group(1)
    body = urllib.parse.urlencode(
        {"email": email, "password": password, "csrf_token": token}
    ).encode()
    try:
        return opener.open(f"{base}/log-ind", data=body, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_workers_share_one_account_limit(app, database_url, tmp_path, create_user):
    person = create_user("employee", email="mette@jobcenter.demo.dk", password=PASSWORD)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    with serving(database_url, tmp_path, servers=1, workers=2) as (base,):
        answers = [_login(base, person.email, "forkert") for _ in range(30)]
    # Each worker counting on its own would let 2 x limit through before locking.
    assert answers.count(429) >= 20
    assert answers.count(401) <= limit
    assert set(answers) <= {401, 429}


def test_a_refused_sign_in_is_logged_without_what_was_typed(
    client, create_user, caplog
):
    person = create_user("employee", email="mette@jobcenter.demo.dk", password=PASSWORD)
    caplog.set_level(logging.WARNING, logger="kompetence.security")
    client.post("/log-ind", data={"email": person.email, "password": TYPED})
    client.post("/log-ind", data={"email": TYPED, "password": TYPED})
    lines = [r.getMessage() for r in caplog.records if r.name == "kompetence.security"]
    assert lines == [
        f"sign-in refused (wrong e-mail or password): account={person.id} "
        "address=127.0.0.1",
        "sign-in refused (wrong e-mail or password): account=- address=127.0.0.1",
    ]
    assert not any(TYPED in line or person.email in line for line in lines)


def test_a_locked_account_is_logged_as_locked(app, client, create_user, caplog):
    person = create_user("employee", email="mette@jobcenter.demo.dk", password=PASSWORD)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        client.post("/log-ind", data={"email": person.email, "password": "forkert"})
    caplog.set_level(logging.WARNING, logger="kompetence.security")
    caplog.clear()
    assert (
        client.post(
            "/log-ind", data={"email": person.email, "password": PASSWORD}
        ).status_code
        == 429
    )
    assert [r.getMessage() for r in caplog.records] == [
        "sign-in refused (locked): account=- address=127.0.0.1"
    ]


def test_a_refused_page_is_logged_with_who_and_where(client, login_as, caplog):
    person = login_as("employee")
    caplog.set_level(logging.WARNING, logger="kompetence.security")
    assert client.get("/admin/brugere").status_code == 403
    assert [r.getMessage() for r in caplog.records] == [
        f"access refused: user={person.id} address=127.0.0.1 GET /admin/brugere"
    ]
