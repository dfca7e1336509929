"""The catalogue page under gunicorn against a bare endpoint in the same server.

5,000 courses and 20,000 sessions are bulk-inserted into a SQLite file (and, when
BENCH_DATABASE_URL or TEST_DATABASE_URL names PostgreSQL, into a sibling database
there); gunicorn serves the app with 2 sync workers on 127.0.0.1; a few client
threads (or `wrk`, when installed) request the signed-in catalogue page and a bare
endpoint that returns a constant string, in alternating rounds. Goal: the catalogue
reaches at least 30% (SQLite) or 20% (PostgreSQL) of the bare endpoint's rate.

The bare endpoint is measured twice: with the same client and cookie (a browser
sends its cookie everywhere, and the app then loads the signed-in user for every
response) and without a cookie (Flask and gunicorn alone). An empty signed-in page
(the shared layout only) shows the most any signed-in page can reach. All ratios
are printed.
"""

import http.client
import itertools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template
from flask_login import login_required
from jinja2 import ChoiceLoader, DictLoader

from core.db import db
from core.people import services as people
from core.people.models import Role, User, UserRole
from courses.catalogue.models import Category, Course, Provider, ProviderKind
from courses.diplomas.models import Diploma, DiplomaModule
from courses.sessions.models import CourseSession, Meeting
from tests.bench.databases import on_each_database
from wsgi import create_app

COURSES = 5_000
SESSIONS_PER_COURSE = 4
PROVIDERS = 20
CATEGORIES = 12
WORKERS = 2
CLIENT_THREADS = 3
ROUND_SECONDS = 3.0
ROUNDS = 2
USER_AGENT = "bench-catalogue"
SECRET = "bench-secret-key-that-is-long-enough-for-gunicorn"
ROOT = Path(__file__).resolve().parents[2]
GOALS = {"sqlite": 0.30, "postgresql": 0.20}


# The least any signed-in page costs: the shared layout around a heading.
FLOOR_TEMPLATE = (
    '{% extends "base.html" %}{% block title %}Bench{% endblock %}'
    "{% block content %}<h1>Bench</h1>{% endblock %}"
)


def bench_app() -> Flask:
    """The production app plus /bench/bare and /bench/floor, for this benchmark only;
    gunicorn builds it in each worker."""
    app = create_app()
    app.jinja_loader = ChoiceLoader(
        [DictLoader({"bench/floor.html": FLOOR_TEMPLATE}), app.jinja_loader]
    )
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    app.add_url_rule(
        "/bench/floor",
        "bench_floor",
        login_required(lambda: render_template("bench/floor.html")),
    )
    return app


def _rows(n: int, make) -> list[dict]:
    return [make(i) for i in range(n)]


def build(url: str) -> str:
    """Create the tables, bulk-insert the catalogue and a `bench` login; the cookie."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        db.drop_all()
        db.create_all()
        conn = db.session.connection()
        now = datetime.now(UTC).replace(microsecond=0)
        conn.execute(
            sa.insert(Provider),
            _rows(
                PROVIDERS,
                lambda i: {
                    "id": i + 1,
                    "key": f"p{i}",
                    "name": f"Udbyder {i:02d}",
                    "kind": ProviderKind.university_college,
                },
            ),
        )
        conn.execute(
            sa.insert(Category),
            _rows(
                CATEGORIES,
                lambda i: {"id": i + 1, "key": f"c{i}", "title": f"Kategori {i:02d}"},
            ),
        )
        conn.execute(
            sa.insert(Course),
            _rows(
                COURSES,
                lambda i: {
                    "id": i + 1,
                    "provider_id": i % PROVIDERS + 1,
                    "category_id": i % CATEGORIES + 1,
                    "title": f"Kursus {i:05d}",
                    "description": f"Beskrivelse af kursus nummer {i}",
                    "search_text": f"kursus {i:05d}\nbeskrivelse af kursus nummer {i}",
                    "price_state": Decimal(i % 7 * 500),
                    "price_municipal": Decimal(i % 5 * 900),
                },
            ),
        )
        total = COURSES * SESSIONS_PER_COURSE

        def starts(i: int) -> datetime:
            return now + timedelta(days=1 + i % 360, hours=i % 5)

        conn.execute(
            sa.insert(CourseSession),
            _rows(
                total,
                lambda i: {
                    "id": i + 1,
                    "course_id": i // SESSIONS_PER_COURSE + 1,
                    "capacity": 20,
                    "seats_taken": i % 21,
                    "calendar_uid": f"bench-{i}",
                    "starts_at": starts(i),
                    "ends_at": starts(i) + timedelta(hours=6),
                },
            ),
        )
        conn.execute(
            sa.insert(Meeting),
            _rows(
                total,
                lambda i: {
                    "course_session_id": i + 1,
                    "starts_at": starts(i),
                    "ends_at": starts(i) + timedelta(hours=6),
                },
            ),
        )
        conn.execute(sa.insert(Diploma), [{"id": 1, "key": "d", "title": "Diplom"}])
        conn.execute(
            sa.insert(DiplomaModule),
            _rows(
                COURSES // 10,
                lambda i: {
                    "diploma_id": 1,
                    "course_id": i * 10 + 1,
                    "ects": Decimal(5),
                },
            ),
        )
        conn.execute(
            sa.insert(User), [{"id": 1, "email": "bench@bench.dk", "name": "Bench"}]
        )
        conn.execute(sa.insert(UserRole), [{"user_id": 1, "role": Role.employee}])
        user = db.session.get(User, 1)
        token = people.start_login_session(user, lifetime=timedelta(hours=2)).token
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as analyse:
                analyse.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE"
                )
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({"_user_id": token, "_fresh": False})
        db.engine.dispose()
    return cookie


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str, port: int) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": SECRET}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "tests.bench.bench_catalogue:bench_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    # A shared machine under load takes a while to build the app in each worker.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if _get(port, "/bench/bare", None) == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _get(port: int, path: str, cookie: str | None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _rate_threads(port: int, path, cookie: str | None, seconds: float) -> float:
    done, failed = [0] * CLIENT_THREADS, [0] * CLIENT_THREADS
    stop = time.monotonic() + seconds
    serial = itertools.count(1)

    def loop(slot: int) -> None:
        while time.monotonic() < stop:
            target = path(next(serial)) if callable(path) else path
            if _get(port, target, cookie) == 200:
                done[slot] += 1
            else:
                failed[slot] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(CLIENT_THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if sum(failed):
        raise RuntimeError(f"{path}: {sum(failed)} requests did not answer 200")
    return sum(done) / (time.monotonic() - started)


def _rate_wrk(port: int, path, cookie: str | None, seconds: float) -> float:
    if callable(path):  # wrk repeats one URL; varying pages need the threads
        return _rate_threads(port, path, cookie, seconds)
    command = [
        "wrk",
        "-t",
        str(CLIENT_THREADS),
        "-c",
        str(CLIENT_THREADS * 2),
        "-d",
        f"{max(1, int(seconds))}s",
        "-H",
        f"User-Agent: {USER_AGENT}",
    ]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    out = subprocess.run(
        command + [f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{path}: wrk saw non-2xx answers")
    line = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
    return float(line.split(":")[1])


def _another_page(n: int) -> str:
    """A catalogue page no earlier request asked for (750 of them), so never cached."""
    pages = COURSES // 20
    sort = ("title", "price", "date")[n // pages % 3]
    return f"/kurser/?page={n % pages + 1}&sort={sort}"


def measure(port: int, cookie: str) -> dict[str, float]:
    """Requests per second of each path, in alternating rounds, averaged."""
    rate = _rate_wrk if shutil.which("wrk") else _rate_threads
    if _get(port, "/kurser/", cookie) != 200:
        raise RuntimeError("the bench login does not reach the catalogue")
    rate(port, "/kurser/", cookie, 1.0)  # warm both workers' caches
    plan = {
        "catalogue": ("/kurser/", cookie),
        "uncached": (_another_page, cookie),
        "floor": ("/bench/floor", cookie),
        "bare": ("/bench/bare", cookie),
        "bare_no_cookie": ("/bench/bare", None),
    }
    rates: dict[str, float] = dict.fromkeys(plan, 0.0)
    for _round in range(ROUNDS):
        for name, (path, sent) in plan.items():
            rates[name] += rate(port, path, sent, ROUND_SECONDS) / ROUNDS
    return rates


def run(label: str, url: str) -> None:
    started = time.perf_counter()
    cookie = build(url)
    print(
        f"{label}: built {COURSES} courses and {COURSES * SESSIONS_PER_COURSE} "
        f"sessions in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    port = _free_port()
    server = _serve(url, port)
    try:
        rates = measure(port, cookie)
    finally:
        server.terminate()
        server.wait(timeout=30)
    goal = GOALS[sa.make_url(url).get_backend_name()]
    client = "wrk" if shutil.which("wrk") else f"{CLIENT_THREADS} client threads"
    print(
        f"{label}: {WORKERS} sync gunicorn workers, {client}, "
        f"{ROUNDS} rounds of {ROUND_SECONDS:.0f} s per path"
    )
    names = {
        "catalogue": "catalogue page, signed in",
        "uncached": "catalogue, a new page each request",
        "floor": "empty signed-in page (layout only)",
        "bare": "bare endpoint, same signed-in client",
        "bare_no_cookie": "bare endpoint, no cookie",
    }
    for key, name in names.items():
        print(f"{label}: {name:<38} {rates[key]:7.0f} req/s")
    ratio = rates["catalogue"] / rates["bare"]
    verdict = "meets" if ratio >= goal else "MISSES"
    print(
        f"{label}: ratio to the bare endpoint {ratio:.0%} ({verdict} the goal of "
        f"{goal:.0%}); to the cookieless one "
        f"{rates['catalogue'] / rates['bare_no_cookie']:.0%}; to the empty "
        f"signed-in page {rates['catalogue'] / rates['floor']:.0%}",
        flush=True,
    )


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()
