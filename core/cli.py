"""Command-line tools: create a user, load the demo data."""

import click
from flask import Flask
from flask.cli import with_appcontext

from core.db import db
from core.people import services
from core.people.errors import PeopleError
from core.people.models import EmployerKind, Role
from core.people.pruning import prune_sign_ins_command
from core.registry import registry

CLI_REASONS = {
    "email_taken": "another account already uses this e-mail",
    "invalid_email": "that is not a valid e-mail address",
}


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    default=["employee"],
    show_default=True,
)
@click.option(
    "--employer",
    type=click.Choice([k.value for k in EmployerKind]),
    default="municipal",
    show_default=True,
)
@with_appcontext
def create_user_command(email, name, password, roles, employer):
    """Create an account (for the first administrator, say)."""
    if len(password) < 10:
        raise click.BadParameter("at least 10 characters", param_hint="--password")
    try:
        user = services.create_user(
            None,
            email=email,
            name=name,
            password=password,
            roles=[Role(r) for r in roles],
            employer_kind=EmployerKind(employer),
        )
    except PeopleError as exc:
        reason = CLI_REASONS.get(exc.code, str(exc))
        raise click.ClickException(f"cannot create the user: {reason}") from exc
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(roles))}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo organisation, framework and catalogue (safe to run again)."""
    for _order, seeder in registry().seeders:
        seeder()
        db.session.commit()
    click.echo("Demo data is loaded.")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(prune_sign_ins_command)
