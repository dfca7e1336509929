"""Every state-changing route refuses a request without a valid CSRF token: with
an app that checks tokens (WTF_CSRF_ENABLED, as in production), a POST (PUT,
PATCH, DELETE) with the form a person would send, as someone who may use the
route, on their own objects, but without the token, gets a 4xx and changes
nothing. The routes come from the app's url_map, so a new form is covered the
day it lands; how the refusal is shown is not this test's business."""

from functools import cache

import pytest

from core.db import db
from tests.access.cases import (
    METHODS,
    Resolver,
    fill,
    form_for,
    granted,
    holds,
    literal_values,
    params_of,
)
from tests.access.table import TABLE, entries
from tests.access.world import ROLES
from wsgi import create_app

CHANGING = tuple(m for m in METHODS if m != "GET")


@cache
def _route_map():
    """The app's routes, read when the tests are collected."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    return [(r.endpoint, r.rule, r) for r in app.url_map.iter_rules()]


ROUTES = sorted(
    (endpoint, rule, method)
    for endpoint, rule, r in _route_map()
    for method in CHANGING
    if method in r.methods
)



def _senders(world, access):
    """Who sends the request: a role the table lets in (with their own objects),
    and for a public route also someone not signed in."""
    if access.public or access.key or access.bearer:
        return [
            ("anonymous", None, None),
            ("employee", world.personas["employee"], None),
        ]
    for role in ROLES:
        p = world.personas[role]
        scope = granted(access, p)
        if scope is not None and holds(p, scope):
            return [(role, p, scope)]
    raise AssertionError("the table lets no demo role in")


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES)
def test_a_change_without_a_csrf_token_is_refused(
    app, checking_app, world, endpoint, rule, method
):
    assert endpoint in TABLE, f"{endpoint} has no entry in tests/access/table.py"
    (rule_obj,) = [r for r in app.url_map.iter_rules(endpoint) if r.rule == rule]
    with checking_app.app_context():
        world.writes.watch(db.engine)
    failures = []
    for access in entries(endpoint):
        resolver = Resolver(access, params_of(rule_obj), world.password_token)
        literal = {
            n: literal_values(rule_obj, n, access)[0]
            for n in params_of(rule_obj)
            if n not in access.objects
        }
        for role, p, scope in _senders(world, access):
            values = (p and scope and resolver.mine(p, scope)) or resolver.anyones()
            url = fill(rule_obj, literal | values)
            client = checking_app.test_client()
            if p is not None:
                with client.session_transaction() as sess:
                    sess["_user_id"] = world.tokens[role]
                    sess["_fresh"] = True
            world.writes.seen.clear()
            response = client.open(
                url, method=method, data=dict(form_for(access, p, scope))
            )
            changed = world.changed_tables() if world.writes.seen else []
            if not 400 <= response.status_code < 500 or changed:
                status = response.status_code
                failures.append(f"{method} {url} as {role}: {status}, {changed}")
    assert failures == []
