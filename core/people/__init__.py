"""People, roles, the organisation tree, key persons and login."""

from core.people import advisers  # noqa: E402,F401  (the table)
