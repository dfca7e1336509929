"""Course sessions and their meetings; the provider's pages."""

from flask import Flask

from courses.sessions import models  # noqa: F401  (registers the tables)


def init_app(app: Flask) -> None:
    """Register the session pages."""
