"""A request on PostgreSQL that wrote nothing ends its transaction with COMMIT,
so the statements psycopg prepared on the connection stay prepared for the next
request (issue 19): a page read, and a POST refused before it wrote (a locked
sign-in). A request that changed something and did not commit it is still
rolled back."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import User
from wsgi import create_app


@pytest.fixture(autouse=True)
def _postgresql_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("psycopg's prepared statements are PostgreSQL's")


@pytest.fixture
def endings(app):
    """How each transaction on the engine ended, in order."""
    seen: list[str] = []
    commit = lambda _connection: seen.append("commit")  # noqa: E731
    rollback = lambda _connection: seen.append("rollback")  # noqa: E731
    sa.event.listen(db.engine, "commit", commit)
    sa.event.listen(db.engine, "rollback", rollback)
    yield seen
    sa.event.remove(db.engine, "commit", commit)
    sa.event.remove(db.engine, "rollback", rollback)


def test_a_page_read_ends_with_commit_and_keeps_what_psycopg_prepared(
    client, login_as, endings
):
    login_as("employee")
    # psycopg prepares a statement at its fifth use on a connection; the pool
    # may hand the requests any of its connections.
    drivers = set()
    listener = lambda conn: drivers.add(conn.connection.dbapi_connection)  # noqa: E731
    sa.event.listen(db.engine, "commit", listener)
    try:
        endings.clear()
        for _ in range(12):
            assert client.get("/tilmeldinger/").status_code == 200
    finally:
        sa.event.remove(db.engine, "commit", listener)

    assert endings
    assert set(endings) == {"commit"}
    prepared = 0
    for driver in drivers:
        with driver.cursor() as cursor:  # outside the pool: nothing ends here
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            prepared += cursor.fetchone()[0]
        driver.rollback()  # back to idle, as the pool left it
    assert prepared > 0


def test_a_read_that_changed_an_object_by_mistake_is_rolled_back(
    database_url, app, create_user
):
    person = create_user("employee", name="Åse Ørsted")
    db.session.commit()
    careless = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )

    @careless.get("/careless/<int:user_id>")
    def _renames(user_id):
        db.session.get(User, user_id).name = "Changed by a GET"
        return "read"

    with careless.test_client() as other:
        assert other.get(f"/careless/{person.id}").data == b"read"
    with careless.app_context():
        db.engine.dispose()

    db.session.expire_all()
    assert db.session.get(User, person.id).name == "Åse Ørsted"



def test_a_refused_sign_in_that_wrote_nothing_ends_with_commit(
    client, create_user, endings
):
    person = create_user("employee", name="Søren Ærø")
    db.session.commit()
    limit = client.application.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        refused = client.post("/log-ind", data={"email": person.email, "password": "x"})
        assert refused.status_code == 401
    endings.clear()

    locked = client.post("/log-ind", data={"email": person.email, "password": "x"})

    assert locked.status_code == 429
    assert "Vent 15 minutter" in locked.text
    assert endings
    assert set(endings) == {"commit"}


@pytest.fixture
def writer(database_url, app):
    """An app with two POSTs that leave their transaction open: one that only
    reads, and one that writes a change and sends an error without committing."""
    other = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": database_url,
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )

    @other.post("/reads/<int:user_id>")
    def _reads(user_id):
        return db.session.get(User, user_id).name, 400

    @other.post("/writes/<int:user_id>")
    def _writes(user_id):
        db.session.execute(
            sa.update(User).where(User.id == user_id).values(name="Half-written")
        )
        return "refused", 409

    seen: list[str] = []
    with other.app_context():
        sa.event.listen(db.engine, "commit", lambda _c: seen.append("commit"))
        sa.event.listen(db.engine, "rollback", lambda _c: seen.append("rollback"))
    with other.test_client() as client:
        yield client, seen
    with other.app_context():
        db.engine.dispose()


def test_a_post_that_only_read_ends_with_commit(writer, create_user):
    person = create_user("employee", name="Åse Ørsted")
    db.session.commit()
    client, seen = writer

    assert client.post(f"/reads/{person.id}").text == "Åse Ørsted"
    assert seen == ["commit"]


def test_a_post_that_wrote_without_committing_is_rolled_back(writer, create_user):
    person = create_user("employee", name="Åse Ørsted")
    db.session.commit()
    client, seen = writer

    assert client.post(f"/writes/{person.id}").status_code == 409
    assert seen == ["rollback"]
    db.session.expire_all()
    assert db.session.get(User, person.id).name == "Åse Ørsted"
