"""A page read on PostgreSQL ends its transaction with COMMIT, so the statements
psycopg prepared on the connection stay prepared for the next request (issue
19); a request that changed something it should not have is still rolled back."""

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

