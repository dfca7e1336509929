"""The `flask courses` command group that the supply-side areas add to."""

import click
from flask import Flask
from flask.cli import AppGroup


def courses_group(app: Flask) -> click.Group:
    """The shared `flask courses` group; whichever area comes first creates it."""
    group = app.cli.commands.get("courses")
    if group is None:
        group = AppGroup("courses", help="Courses, sessions, bookings and calendars.")
        app.cli.add_command(group)
    return group
