"""Providers, courses, categories, audiences and prices."""

from flask import Flask

from courses.catalogue import models  # noqa: F401  (registers the tables)


def init_app(app: Flask) -> None:
    """Register the catalogue's pages, commands and demo data."""
