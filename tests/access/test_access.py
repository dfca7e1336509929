"""Every route, for every demo role and for nobody signed in, answers as the
permission table says, with the demo's objects and those of other teams,
jobcentres, regions and providers: a role's own objects open (no 4xx or 5xx);
another's, put in the address in place of one's own, get 403 or 404; a role the
table does not name gets 403 (404 where the address names an object); nobody
signed in is sent to the login page; a wrong secret in a feed or a password link
opens nothing; a route for bearer tokens answers a cookie with 401.

No GET writes: every GET here, whoever sends it and whatever it answers, sends
no INSERT, UPDATE or DELETE (pages read; acting is for POSTs and the CLI). No
refused POST changes anything: the database is as the world was built.
"""

from urllib.parse import urlsplit

import pytest

from tests.access.cases import Call, calls_for
from tests.access.table import TABLE, entries
from tests.access.vocabulary import SHARED, Scope
from tests.access.world import ROLES

WHOM = (*ROLES, "anonymous")


def _wrong(call: Call, response) -> str | None:
    """What is wrong with the answer, or None."""
    status = response.status_code
    if call.expect == "open":
        return None if status < 400 else f"{status}, expected to open"
    if call.expect == "forbidden":
        return None if status == 403 else f"{status}, expected 403"
    if call.expect == "refused":
        return None if status in (403, 404) else f"{status}, expected 403 or 404"
    if call.expect == "no_token":
        return None if status == 401 else f"{status}, expected 401"
    if call.expect == "bad_key":
        return None if status in (401, 404, 410) else f"{status}, expected 401/404"
    location = urlsplit(response.headers.get("Location", "")).path
    if status in (302, 303) and location == "/log-ind":
        return None
    return f"{status} to {location!r}, expected the login page"


@pytest.mark.parametrize("whom", WHOM)
@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_route_answers_as_the_table_says(app, world, endpoint, whom):
    person = world.personas.get(whom)
    client = world.clients[None if whom == "anonymous" else whom]
    failures = []
    for call in calls_for(app, endpoint, person, world.password_token):
        world.writes.seen.clear()
        response = client.open(call.url, method=call.method, data=call.form)
        problem = _wrong(call, response)
        if call.method == "GET" and world.writes.seen:
            problem = f"a GET wrote: {world.writes.seen[0]}"
        elif world.writes.seen and (changed := world.changed_tables()):
            problem = f"{response.status_code} and changed {changed}"
        if problem:
            failures.append(f"{call.method} {call.url} ({call.why}): {problem}")
    assert failures == []


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_someone_opens_every_page_and_another_is_refused(app, world, endpoint):
    """The table is not vacuous: each GET route opens for at least one role with
    their own objects, and each route that names someone's object is tried with
    another's by at least one role."""
    has_get = any("GET" in r.methods for r in app.url_map.iter_rules(endpoint))
    for access in entries(endpoint):
        if access.public or access.key or access.bearer:
            continue
        calls = [
            call
            for whom in ROLES
            for call in calls_for(app, endpoint, world.personas[whom], "")
        ]
        if has_get:
            assert any(c.expect == "open" for c in calls), access
        owned = [k for k in access.objects.values() if k not in SHARED]
        if owned and any(s is not Scope.any for s in access.grants.values()):
            assert any("another's" in c.why for c in calls), access
