"""People, roles, the organisation tree, key persons and login."""

from core.people import advisers, specialists  # noqa: E402,F401  (the tables)
