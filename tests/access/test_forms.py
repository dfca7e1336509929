"""No one reaches another's object through a field of a form: the form is taken
from the page as the person sees it, the field that names an object (a team's
budget unit, the person a waiver is for, the colleague asked for sparring, the
unit of a unit plan, the goal an activity serves) is changed to one outside the
person's reach, and the POST is refused (4xx) with the database unchanged. The
same form sent as the page gave it is accepted, so the refusal is the field's."""

from urllib.parse import urlsplit

import pytest

from tests.access.cases import Resolver, fill, granted, holds, params_of
from tests.access.forms import post_forms
from tests.access.objects import PARENTS, find, outside
from tests.access.table import TABLE, entries
from tests.access.vocabulary import Scope
from tests.access.world import ROLES

FIELDS = [
    (endpoint, field)
    for endpoint in sorted(TABLE)
    for access in entries(endpoint)
    for field in access.fields
]
IDS = [f"{endpoint}-{field.name}" for endpoint, field in FIELDS]


def _page_url(app, page: str, p) -> str | None:
    """The page showing the form, with the person's own objects."""
    for access in entries(page):
        scope = granted(access, p)
        if scope is None or not holds(p, scope):
            continue
        for rule in app.url_map.iter_rules(page):
            if "GET" not in rule.methods:
                continue
            mine = Resolver(access, params_of(rule), "").mine(p, scope)
            if mine is not None:
                return fill(rule, mine)
    return None


def _form(app, client, endpoint: str, field, p) -> tuple[str, dict] | None:
    """(action, values) of the person's form for `endpoint`, if the page has one."""
    url = _page_url(app, field.page, p)
    if url is None:
        return None
    adapter = app.url_map.bind("localhost")
    forms, options = post_forms(client.get(url).text)
    for action, values in forms:
        path = urlsplit(action or url).path
        if adapter.match(path, method="POST")[0] != endpoint:
            continue
        typed = {k: v() if callable(v) else v for k, v in field.sample.items()}
        form = dict(values) | typed
        if not form.get(field.name):  # a choice left open: take the first one
            form[field.name] = next(iter(filter(None, options.get(field.name, []))), "")
        return (path, form) if form[field.name] else None
    return None


def _another(field, p, scope: Scope):
    """An object of the field's kind just outside `p`'s reach."""
    kind = PARENTS.get(field.kind, (field.kind,))[0]
    for owners in outside(p, field.scope or scope):
        if owners.negate:
            continue
        found = find(kind, owners)
        if found is not None and field.kind in PARENTS:
            found = find(field.kind, owners, found)
        if found is not None:
            return found
    return None


def _forms(app, world, endpoint, field):
    """(role, action, form, another's id) for each role whose page has the form."""
    (access,) = [a for a in entries(endpoint) if field in a.fields]
    found = []
    for role in ROLES:
        p = world.personas[role]
        scope = granted(access, p)
        if scope is None or not holds(p, scope) or (field.scope or scope) is Scope.any:
            continue
        form = _form(app, world.clients[role], endpoint, field, p)
        if form is not None:
            found.append((role, *form, _another(field, p, scope)))
    assert found, f"no role found the form for {endpoint} on {field.page}"
    return found


@pytest.mark.parametrize(("endpoint", "field"), FIELDS, ids=IDS)
def test_another_object_in_a_form_field_is_refused(app, world, endpoint, field):
    failures = []
    for role, action, form, other in _forms(app, world, endpoint, field):
        assert other is not None, f"{role}: nothing outside their reach"
        world.writes.seen.clear()
        response = world.clients[role].post(action, data=form | {field.name: other})
        changed = world.changed_tables() if world.writes.seen else []
        if not 400 <= response.status_code < 500 or changed:
            failures.append(
                f"{role}: POST {action} {field.name}={other} (theirs "
                f"{form[field.name]}): {response.status_code}, changed {changed}"
            )
    assert failures == []


@pytest.mark.parametrize(("endpoint", "field"), FIELDS, ids=IDS)
def test_the_same_form_with_ones_own_object_is_accepted(
    app, world_as_is, endpoint, field
):
    """The control: nothing but the field made the difference. It changes the
    database, so it runs on the world as earlier tests left it."""
    world = world_as_is
    failures = []
    for role, action, form, _other in _forms(app, world, endpoint, field):
        response = world.clients[role].post(action, data=form)
        world.dirty = True
        if response.status_code >= 400:
            failures.append(f"{role}: POST {action} {form}: {response.status_code}")
    assert failures == []
