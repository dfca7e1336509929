"""Refused calls to the API and the directory (SCIM) reach the security log as
refused pages do: who (an account id) or nothing, the address, what was asked;
never the token that was sent."""

import logging

import pytest

from core.db import db
from core.tokens import services as tokens


def _security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kompetence.security"]


@pytest.mark.parametrize("path", ["/api/v1/me/bookings", "/scim/v2/Users"])
def test_a_wrong_bearer_token_is_logged_without_the_token(client, caplog, path):
    caplog.set_level(logging.WARNING, logger="kompetence.security")
    sent = "Bearer gaet-paa-en-noegle-1234567890"

    assert client.get(path, headers={"Authorization": sent}).status_code == 401

    lines = _security_lines(caplog)
    assert lines == [f"token refused: address=127.0.0.1 GET {path}"]
    assert not any("gaet-paa" in line for line in lines)


def test_a_token_without_the_scope_is_logged_as_refused(client, create_user, caplog):
    owner = create_user("employee")
    _token, secret = tokens.issue(owner, "Lønsystem", ["me:read"])
    db.session.commit()
    caplog.set_level(logging.WARNING, logger="kompetence.security")

    response = client.get(
        "/scim/v2/Users", headers={"Authorization": f"Bearer {secret}"}
    )

    assert response.status_code == 403
    lines = _security_lines(caplog)
    assert lines == ["access refused: user=- address=127.0.0.1 GET /scim/v2/Users"]
    assert not any(secret in line for line in lines)
