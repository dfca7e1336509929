"""Fuzz the API with schemathesis against the app itself: every operation of the
served document, a few generated requests each (valid and invalid ones)."""

import contextvars
import warnings

import schemathesis
from flask import Flask
from flask.globals import _cv_app
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.db import db

# Bounded in time: the whole document runs in seconds.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def isolated(app: Flask):
    """`app` as a WSGI callable whose requests run in an app context of their own,
    as tests/conftest.py's client does (the test holds one for its own reads)."""

    def wsgi(environ, start_response):
        db.session.commit()

        def run():
            _cv_app.set(None)
            return list(app(environ, start_response))

        try:
            return contextvars.copy_context().run(run)
        finally:
            db.session.rollback()
            db.session.expire_all()

    return wsgi


def fuzz(app: Flask, *, headers: dict | None = None, seen=None) -> list[str]:
    """Run every operation; `seen(case, response)` may check more. Returns the
    operations run."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated(app))
    ran = []
    for result in schema.get_all_operations():
        operation = result.ok()
        ran.append(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
                if seen is not None:
                    seen(case, response)

            check()
    return ran
