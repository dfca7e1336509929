"""Diploma programmes, their modules and ECTS rules, and a person's progress."""

from flask import Flask

from courses.diplomas import models  # noqa: F401  (registers the tables)


def init_app(app: Flask) -> None:
    """Register the diploma pages."""
