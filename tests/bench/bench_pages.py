"""The pages people use, on the national dataset (`flask seed-scale`), served by
gunicorn from the production configuration (deploy/gunicorn.conf.py) and loaded
by Debian's `wrk` from a process of its own (issue 19).

For each page: requests per second, p50 and p99 latency, the ratio to the bare
endpoint measured in the same run, and the queries one request issues (counted
in-process on the same data). The table goes to standard output and, as JSON
and a small SVG chart, to bench-results/ (ignored by git); the previous run's
JSON is kept beside it, and `make bench-compare` prints the difference.

BENCH_SCALE (default 1: 7,000 people, 20,000 sessions, 100,000 bookings) and
BENCH_SECONDS (per page, default 5) size the run; SQLite always, PostgreSQL too
when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from core.db import db
from core.people import services as people
from core.people.models import OrgUnit, Role, User, UserRole
from courses.bookings.models import Booking
from courses.calendars import services as calendars
from courses.catalogue.models import Course, ProviderMember
from learning.plans.models import Plan
from learning.reports import charts
from learning.scale import seed_scale
from tests.bench.bench_catalogue import SECRET, USER_AGENT, _free_port, _get, bench_app
from tests.bench.databases import on_each_database
from tests.conftest import counting_queries
from wsgi import create_app

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = 4
# The goals, as a share of the bare endpoint's rate (None: no goal).
GOALS = {"bare": None, "floor": 0.50, "catalogue": {"sqlite": 0.40, "postgresql": 0.30}}
OTHER_PAGES = 0.15


def _app(url: str):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})


def _empty(url: str) -> None:
    """A fresh schema from the migrations: the bench database may hold a run's."""
    if url.startswith("sqlite"):
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def _cookie(app, user: User) -> str:
    token = people.start_login_session(user, lifetime=timedelta(hours=3)).token
    db.session.commit()
    return app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": token, "_fresh": False}
    )


def build(url: str) -> dict:
    """Migrate, seed, and choose the people and objects the pages are read as."""
    _empty(url)
    app = _app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        made = seed_scale(SCALE)
        seeded = time.perf_counter() - started
        employee = db.session.scalars(
            sa.select(User)
            .join(Plan, Plan.owner_id == User.id)
            .join(Booking, Booking.user_id == User.id)
            .order_by(User.id)
        ).first()
        team = db.session.get(OrgUnit, employee.team_id)
        manager = db.session.get(User, team.manager_id)
        coordinator = db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .join(OrgUnit, OrgUnit.id == User.team_id)
            .where(
                UserRole.role == Role.coordinator, OrgUnit.parent_id == team.parent_id
            )
        ).first()
        plan = db.session.scalar(sa.select(Plan.id).where(Plan.owner_id == employee.id))
        course = db.session.scalar(sa.select(Course.id).order_by(Course.id))
        provider = db.session.scalar(
            sa.select(Course.provider_id).where(Course.id == course)
        )
        secret = calendars.regenerate_token(employee, employee).secret
        staff = User(email="udbyder@skala.demo.dk", name="Udbyder Bench")
        db.session.add(staff)
        db.session.flush()
        db.session.add_all(
            [
                UserRole(user_id=staff.id, role=Role.provider_staff),
                ProviderMember(provider_id=provider, user_id=staff.id),
            ]
        )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "ANALYZE"
                )
        cookies = {
            "employee": _cookie(app, employee),
            "manager": _cookie(app, manager),
            "coordinator": _cookie(app, coordinator),
        }
        pages = [
            ("bare", "/bench/bare", None),
            ("floor", "/bench/floor", "employee"),
            ("catalogue (anonymous)", "/kurser/", None),
            ("catalogue", "/kurser/", "employee"),
            ("course page", f"/kurser/{course}", "employee"),
            ("dashboard", "/", "employee"),
            ("Min kompetenceprofil", "/kompetencer/vurdering/profil", "employee"),
            ("team heat map", "/kompetencer/vurdering/team", "manager"),
            ("approval inbox", "/tilmeldinger/godkendelser", "manager"),
            ("Forslag til dig", "/forslag", "employee"),
            ("the plan", f"/planer/{plan}", "employee"),
            ("demand report", "/rapporter/efterspoergsel", "coordinator"),
            ("Mine tilmeldinger", "/tilmeldinger/", "employee"),
            ("provider feed", f"/kalender/udbyder/{provider}.ics", None),
            ("personal feed", f"/kalender/personlig/{secret}.ics", None),
        ]
        queries = _queries(pages, cookies)
        db.session.remove()
        db.engine.dispose()
    return {
        "made": made,
        "seeded": seeded,
        "pages": pages,
        "cookies": cookies,
        "queries": queries,
    }


def _queries(pages, cookies) -> dict[str, int]:
    """Statements one request of each page issues, in-process on the same data."""
    counted = {}
    inner = bench_app()
    client = inner.test_client()
    with inner.app_context():
        for name, path, who in pages:
            client.delete_cookie("session")
            if who:
                client.set_cookie("session", cookies[who])
            client.get(path)  # warm per-process caches, as a running worker has them
            with counting_queries() as statements:
                status = client.get(path).status_code
            if status != 200:
                raise RuntimeError(f"{name}: {path} answered {status}")
            counted[name] = len(statements)
    return counted


def _serve(url: str, port: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
    ]
    server = subprocess.Popen(
        command + ["tests.bench.bench_catalogue:bench_app()"], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, "/bench/bare", None) == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _millis(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _load(port: int, path: str, cookie: str | None) -> dict:
    command = [
        "wrk",
        "--latency",
        "-t",
        "2",
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{int(SECONDS)}s",
    ]
    command += ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    out = subprocess.run(
        command + [f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{path}: wrk saw answers that were not 2xx\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _millis(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _millis(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    return {"rate": rate, "p50": p50, "p99": p99}


def _goal(name: str, backend: str) -> float | None:
    goal = GOALS.get(name, OTHER_PAGES)
    return goal.get(backend) if isinstance(goal, dict) else goal


def run(label: str, url: str) -> None:
    if not shutil.which("wrk"):
        print(
            f"{label}: skipped (Debian's wrk is not installed: make bench installs it)"
        )
        return
    # bench_app() (the app plus /bench/bare and /bench/floor) reads these, in
    # this process for the query counts and in gunicorn's workers.
    os.environ["DATABASE_URL"], os.environ["SECRET_KEY"] = url, SECRET
    built = build(url)
    made = ", ".join(f"{n:,} {what}" for what, n in built["made"].items())
    print(f"{label}: seeded {made} in {built['seeded']:.0f} s", flush=True)
    port = _free_port()
    server = _serve(url, port)
    try:
        results = {}
        for name, path, who in built["pages"]:
            cookie = built["cookies"].get(who) if who else None
            _get(port, path, cookie)  # each worker's caches warm, as in production
            results[name] = _load(port, path, cookie) | {
                "queries": built["queries"][name]
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    backend = sa.make_url(url).get_backend_name()
    bare = results["bare"]["rate"]
    print(
        f"{label}: gunicorn (deploy/gunicorn.conf.py, 2 workers), "
        f"wrk -c {CONNECTIONS}, {SECONDS:.0f} s a page"
    )
    print(
        f"{label}: {'page':<24} {'req/s':>7} {'share':>6} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'queries':>7}  goal"
    )
    for name, r in results.items():
        share = r["rate"] / bare
        goal = _goal(name, backend)
        verdict = (
            ""
            if goal is None
            else ("met" if share >= goal else "MISSED") + f" (>= {goal:.0%})"
        )
        tail = "" if r["p99"] <= 4 * r["p50"] else "  p99 over 4x p50"
        print(
            f"{label}: {name:<24} {r['rate']:7.0f} {share:6.0%} {r['p50']:7.1f} "
            f"{r['p99']:7.1f} {r['queries']:7d}  {verdict}{tail}",
            flush=True,
        )
        r["share"] = share
    _write(label, results)


def _write(label: str, results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    name = label.lower()
    latest = RESULTS / f"pages-{name}.json"
    if latest.exists():
        latest.replace(RESULTS / f"pages-{name}.previous.json")
    latest.write_text(json.dumps(results, indent=2), encoding="utf-8")
    app = create_app({"SECRET_KEY": SECRET})
    with app.test_request_context():
        svg = charts.bars(
            [(page, round(r["share"] * 100)) for page, r in results.items()],
            title=f"{label}: share of the bare endpoint's rate (%)",
            description="Each page's requests per second as a share of the bare "
            "endpoint's.",
            empty="-",
        )
    (RESULTS / f"pages-{name}.svg").write_text(str(svg), encoding="utf-8")
    print(f"{label}: written to {latest.relative_to(ROOT)} and pages-{name}.svg")


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()
