"""`flask create-user` makes the first administrator of a fresh database."""

import sqlalchemy as sa

from core.db import db
from core.people.models import Role, User


def test_create_user_makes_an_account_that_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "Chef@Jobcenter.demo.dk",
            "--name",
            "Første Admin",
            "--password",
            "a long enough password",
            "--role",
            "admin",
            "--role",
            "employee",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(
        sa.select(User).where(User.email == "chef@jobcenter.demo.dk")
    )
    assert user.roles == {Role.admin, Role.employee}
    response = client.post(
        "/log-ind",
        data={"email": "chef@jobcenter.demo.dk", "password": "a long enough password"},
    )
    assert response.status_code == 302


def test_create_user_refuses_a_short_password_and_a_taken_email(app, create_user):
    create_user(email="taken@jobcenter.demo.dk")
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=[
            "create-user",
            "--email",
            "new@jobcenter.demo.dk",
            "--name",
            "N",
            "--password",
            "short",
        ]
    )
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output
    taken = runner.invoke(
        args=[
            "create-user",
            "--email",
            "TAKEN@jobcenter.demo.dk",
            "--name",
            "T",
            "--password",
            "a long enough password",
        ]
    )
    assert taken.exit_code != 0
    assert "another account already uses this e-mail" in taken.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
