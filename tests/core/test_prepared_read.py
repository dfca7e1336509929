"""The login read straight through the driver (core.prepared_read, issue 19)
answers as SQLAlchemy's execution of the same statement does, value for value
and type for type, on the engine under test; and what changes through the
product shows in it on the next read."""

from datetime import timedelta

from core.db import db
from core.notifications import services as notifications
from core.people import services as people
from core.people.advisers import set_adviser
from core.people.login import _LOGIN, _LOGIN_READ
from core.people.models import Role, UnitKind
from core.prepared_read import PreparedRead
from tests.conftest import counting_queries


def _through_sqlalchemy(token: str):
    with db.engine.connect() as connection:
        row = connection.execute(_LOGIN, {"token": token}).first()
        connection.rollback()
    return None if row is None else tuple(row)


def _same(token: str) -> tuple | None:
    prepared = _LOGIN_READ.first(db.engine, token=token)
    expected = _through_sqlalchemy(token)
    assert prepared == expected
    if expected is not None:
        assert [type(v) for v in prepared] == [type(v) for v in expected]
    return prepared


def test_the_prepared_login_read_answers_as_sqlalchemy_does(
    app, create_user, create_unit
):
    region = create_unit(UnitKind.region)
    jobcentre = create_unit(UnitKind.jobcentre, parent=region)
    team = create_unit(UnitKind.team, parent=jobcentre)
    plain = create_user("employee", team=team)
    many = create_user("employee", "manager", "coordinator", team=team)
    no_team = create_user("admin")
    team.manager_id = many.id
    set_adviser(many, region)
    notifications.notify(many, "Ny besked", mail=False)
    db.session.commit()
    tokens = [
        people.start_login_session(user, lifetime=timedelta(hours=1)).token
        for user in (plain, many, no_team)
    ]
    db.session.commit()
    assert not PreparedRead.watched(db.engine)
    for token in tokens:
        assert _same(token) is not None
    assert _same("no-such-token") is None


def test_a_change_shows_in_the_next_prepared_read(app, create_user):
    person = create_user("employee", "manager")
    token = people.start_login_session(person, lifetime=timedelta(hours=1)).token
    notifications.notify(person, "Ny besked", mail=False)
    db.session.commit()
    before = _same(token)
    person.set_roles([Role.employee])
    notifications.mark_read(person)
    db.session.commit()
    after = _same(token)
    assert before[1] != after[1]  # the roles, by name
    assert after[1] == "employee"
    assert (before[2], after[2]) == (1, 0)  # the unread count


def test_a_watched_engine_sees_the_login_read(client, login_as):
    """Query counters listen to the engine: the login then goes through
    SQLAlchemy, so they count it (the frame is one statement)."""
    login_as("employee")
    client.get("/adgangskode")
    with counting_queries() as statements:
        assert PreparedRead.watched(db.engine)
        client.get("/adgangskode")
    assert len(statements) == 1
    assert "login_sessions" in statements[0]
