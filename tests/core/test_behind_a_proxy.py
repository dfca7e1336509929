"""Behind nginx (PROXIES=1) the visitor's address is the one nginx forwards, so
sign-in limits count each visitor apart; without a proxy the header, which anyone
can send, is ignored."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import LoginAttempt
from wsgi import create_app


def _failed_sign_in_address(app, **headers) -> str:
    client = app.test_client()
    client.post(
        "/log-ind",
        data={"email": "ingen@jobcenter.demo.dk", "password": "forkert-kodeord"},
        headers=headers,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    with app.app_context():
        address = db.session.scalar(
            sa.select(LoginAttempt.address).order_by(LoginAttempt.id.desc())
        )
        db.session.execute(sa.delete(LoginAttempt))
        db.session.commit()
    return address


@pytest.mark.parametrize(("proxies", "seen"), [(1, "203.0.113.7"), (0, "127.0.0.1")])
def test_the_visitors_address_is_read_through_as_many_proxies_as_configured(
    app, database_url, proxies, seen
):
    behind = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "PROXIES": proxies,
        }
    )

    try:
        address = _failed_sign_in_address(behind, **{"X-Forwarded-For": "203.0.113.7"})
    finally:
        with behind.app_context():  # its own engine: no connection left open
            db.session.remove()
            db.engine.dispose()

    assert address == seen
