"""scim2-tester, the SCIM compliance checker, against the app: it reads the
service's description, then creates, reads, lists with attributes, replaces,
patches (add, remove, replace on every writable attribute) and deletes users and
groups, and asks for addresses that do not exist."""

import contextvars
from collections import Counter

import pytest
from flask.globals import _cv_app
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from core.db import db

PASSED = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}


@pytest.fixture
def directory(app, scim_token, teams):
    def isolated(environ, start_response):
        # Each request in an app context and database session of its own, as
        # in production; the test's own session sees what it wrote after.
        db.session.commit()

        def run():
            _cv_app.set(None)
            return list(app(environ, start_response))

        try:
            return contextvars.copy_context().run(run)
        finally:
            db.session.rollback()
            db.session.expire_all()

    return WSGISCIMClient(
        isolated,
        base_url="http://localhost/scim/v2",
        headers={"Authorization": f"Bearer {scim_token}"},
    )


def test_every_check_scim2_tester_runs_passes(directory):
    results = check_server(directory)

    failed = [
        f"{r.title}: {r.status.name}: {r.reason}"
        for r in results
        if r.status not in PASSED and r.status is not Status.SKIPPED
    ]
    ran = Counter(r.title for r in results if r.status in PASSED)
    print("\n".join(f"{title} x{n}" for title, n in sorted(ran.items())))
    skipped = [f"{r.title}: {r.reason}" for r in results if r.status is Status.SKIPPED]
    print("skipped:", *skipped, sep="\n  ")
    assert failed == [], "\n".join(failed)
    assert len(ran) >= 20
