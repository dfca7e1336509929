"""Error pages: a failed database transaction still gets the styled page, and an
address with an id no table can hold is not found, not a server error."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask, abort
from flask_login import current_user, login_required

from core.db import db
from core.people import services as people
from core.people.models import OrgUnit
from wsgi import create_app


@pytest.fixture
def failing_app(app, database_url) -> Iterator[Flask]:
    """The real app, not in testing mode (errors are handled, not raised into the
    test), with one extra page that fails inside its database transaction."""
    failing = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "SERVER_NAME": "localhost",
            "WTF_CSRF_ENABLED": False,
        }
    )

    @failing.route("/fails-in-the-database/<int:status>")
    @login_required
    def fails(status: int):
        assert current_user.name  # the page frame has its user before the failure
        db.session.add(OrgUnit(kind=None, name=None))  # NOT NULL, refused at flush
        try:
            db.session.flush()
        except sa.exc.IntegrityError:
            if status != 500:
                abort(status)
            raise
        return "not reached"

    yield failing
    with failing.app_context():
        db.engine.dispose()


@pytest.fixture
def signed_in(failing_app, create_user):
    user = create_user("admin", name="Rikke Fejlsøger")
    people.start_login_session(user, lifetime=timedelta(hours=1))
    db.session.commit()
    client = failing_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.current_login_token
        sess["_fresh"] = True
    return client


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (500, "Noget gik galt"),
        (403, "Du har ikke adgang"),
        (404, "Siden blev ikke fundet"),
    ],
)
def test_a_failed_transaction_still_gets_the_styled_error_page(
    signed_in, status, heading
):
    response = signed_in.get(f"/fails-in-the-database/{status}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert heading in page
    assert "Rikke Fejlsøger" in page  # the page frame, with the signed-in user
    assert "Traceback" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/hold/2147483648",
        "/hold/99999999999999999999999",
        "/kurser/9223372036854775808",
        "/budgetter/99999999999999999999999",
        "/kompetencer/vurdering/personer/99999999999999999999/profil",
    ],
)
def test_an_id_no_table_can_hold_is_not_found(client, login_as, path):
    login_as("admin")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("admin", "/notifikationer/?page=99999999999999999999999"),
        ("admin", "/admin/brugere?page=99999999999999999999999"),
        ("manager", "/kompetencer/vurdering/team?team=99999999999999999999999"),
        ("coordinator", "/kompetencer/vurdering/jobcentre?jobcentre=9999999999999"),
        ("coordinator", "/budgetter/?year=99999999999999999999999"),
    ],
)
def test_a_number_too_large_in_a_query_string_is_no_server_error(
    client, login_as, role, path
):
    login_as(role)
    assert client.get(path).status_code in (200, 404)
