"""The permission table covers the app's route map exactly: an endpoint without
an entry fails (a new route cannot ship unclassified), and so does an entry for
an endpoint that no longer exists, or one that leaves a parameter of its route
unexplained."""

import pytest

from tests.access.cases import literal_values, params_of
from tests.access.table import TABLE, entries
from tests.access.vocabulary import Scope


def test_every_endpoint_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(TABLE)) == []


def test_every_entry_names_an_endpoint_that_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(set(TABLE) - endpoints) == []


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_every_parameter_is_an_object_or_a_listed_value(app, endpoint):
    unexplained = []
    for access in entries(endpoint):
        for rule in app.url_map.iter_rules(endpoint):
            for name in params_of(rule):
                if name not in access.objects and not literal_values(
                    rule, name, access
                ):
                    unexplained.append(f"{rule.rule}: {name}")
    assert unexplained == []


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_every_entry_says_who(endpoint):
    for access in entries(endpoint):
        kinds = (
            access.public,
            access.key is not None,
            access.bearer,
            bool(access.grants),
        )
        assert sum(kinds) == 1, access
        assert all(isinstance(s, Scope) for s in access.grants.values())
