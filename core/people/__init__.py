"""People, roles, the organisation tree, key persons and login."""
