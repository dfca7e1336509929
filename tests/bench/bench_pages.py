"""The pages people use, on the national dataset (`flask seed-scale`), served by
gunicorn from the production configuration (deploy/gunicorn.conf.py) and loaded
by Debian's `wrk` from a process of its own (issue 19).

For each page: requests per second, p50 and p99 latency, the ratio to the bare
endpoint measured for a second just before the page (the "bare" column), and
the queries one request issues (counted in-process on the same data). The
table goes to standard output and, as JSON and a small SVG chart, to
bench-results/ (ignored by git); the previous run's JSON is kept beside it, and
`make bench-compare` prints the difference.

The national dataset is the one the suite shares (tests/bench/national.py).
BENCH_SECONDS (per page, default 3) sizes the run; BENCH_PAGES (names separated
by commas, e.g. "floor,course page") measures only those pages, beside the bare
endpoint, while a page is being worked on; SQLite always, PostgreSQL too
when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server. The catalogue
with a new query each request (the cache cannot answer it) is measured here
too, with the bare endpoint of the same server, and the provider feed's 304
without the per-worker state cache (the issue's goal: every request reads the
feed's state).
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import session
from flask_wtf.csrf import generate_csrf

from core.db import db, utcnow
from core.kept_form_views import csrf_secret_for
from core.people import services as people
from core.people.models import OrgUnit, Role, User, UserRole
from courses.bookings.models import Booking
from courses.calendars import services as calendars
from courses.catalogue.models import Course, ProviderMember
from courses.sessions.models import CourseSession
from learning.plans.models import Plan
from learning.reports import charts
from tests.bench import goals, national, serving
from tests.bench.serving import SECRET, USER_AGENT, bench_app
from tests.conftest import IsolatedClient, counting_queries
from tests.courses.bookings import concurrency, factories
from wsgi import create_app

RESULTS = national.RESULTS
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
BARE_SECONDS = 1  # the bare endpoint measured again before each page
CONNECTIONS = 4
# Each load is taken twice and the faster kept, the bare endpoint's too. With
# threaded workers, wrk's keep-alive connections landed on one of gunicorn's two
# workers or on both and stayed there for the load (the bare endpoint read
# ~1,500 req/s before some pages and ~3,800 before others). The sync worker
# closes each connection, so every request is accepted by a free worker and
# that draw is gone (~4,100 req/s before every page); the faster of two still
# keeps a one-off pause (a worker replaced, autovacuum) out of a page's figure.
# The booking POST is loaded once: its bookings are counted against its requests.
TRIES = 2
# The goals, as a share of the bare endpoint's rate (None: no goal).
GOALS = {
    "bare": None,
    "floor": 0.50,
    "catalogue": {"sqlite": 0.40, "postgresql": 0.30},
    "catalogue, new query": 0.15,
    "provider feed (304)": 0.45,  # the state read for every request
    "booking POST": 0.10,
}
OTHER_PAGES = 0.15
TAIL = 4  # p99 of every page under 4x its own p50
# The booking POST: this many new people each book this many new sessions (on
# different days, so no booking clashes with another), one pair per request.
BOOKERS, BOOKED_SESSIONS = 40, 60


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str | None = None  # whose session cookie the request carries
    conditional: bool = False  # sent with the validators of a first answer
    script: str | None = None  # a wrk Lua script that makes each request
    posts: bool = False  # the script posts (the booking): counted as a POST
    fresh: bool = False  # each request a query no earlier one asked (no cache)


def _booking_pairs(app, team) -> tuple[list[dict], int]:
    """New people and a new free course's sessions: each (person, session) once,
    with the person's session cookie and form token, for the booking POST; and
    the course's id (its bookings are counted after the run)."""
    course = factories.make_course(price=0, title="Benchmark: booking")
    first = utcnow().replace(hour=8, minute=0, second=0, microsecond=0)
    sessions = [
        factories.make_session(
            course, capacity=10 * BOOKERS, start=first + timedelta(days=60 + day)
        ).id
        for day in range(BOOKED_SESSIONS)
    ]
    people_ids = concurrency.make_people(BOOKERS, team)
    signer = app.session_interface.get_signing_serializer(app)
    forms = []
    for user_id in people_ids:
        token = people.start_login_session(
            db.session.get(User, user_id), lifetime=timedelta(hours=3)
        ).token
        # A new app context: generate_csrf keeps the first token in `g`.
        with app.app_context(), app.test_request_context():
            form_token = generate_csrf()
            raw = session["csrf_token"]
        cookie = signer.dumps({"_user_id": token, "_fresh": False, "csrf_token": raw})
        forms.append({"cookie": cookie, "csrf_token": form_token})
    db.session.commit()
    pairs = [forms[i] | {"session": sid} for sid in sessions for i in range(len(forms))]
    return pairs, course.id


# wrk's Lua for the scripts below: each of wrk's two threads counts n from its
# own start (0 or 1) and steps by 2, so the threads take alternate numbers.
_TAKE_TURNS = """local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  n = id - 1
end
"""


def _booking_script(pairs: list[dict]) -> str:
    """wrk's Lua: each request books the next (person, session) pair; the two
    wrk threads take alternate pairs, so no pair is booked twice."""
    rows = ",\n".join(
        f'{{"{p["cookie"]}", "{p["csrf_token"]}", {p["session"]}}}' for p in pairs
    )
    text = f"""local pairs_ = {{
{rows}
}}
{_TAKE_TURNS}function request()
  local p = pairs_[n % #pairs_ + 1]
  n = n + 2
  return wrk.format("POST", "/hold/" .. p[3] .. "/tilmeld", {{
    ["Cookie"] = "session=" .. p[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["User-Agent"] = "{USER_AGENT}",
  }}, "csrf_token=" .. p[2] .. "&expect=seat")
end
"""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".lua", delete=False, encoding="utf-8"
    ) as script:
        script.write(text)
    return script.name


# The catalogue keeps each listing it renders, keyed by the query's text as
# sent: page=0003 is page 3, but a query the cache has not seen.
_NEVER_ASKED = "/kurser/?sort=title&page=" + "0" * 200 + "1"


def _new_queries() -> str:
    """wrk's Lua: each request a catalogue query not asked before (the sort, one
    of the first pages, and more leading zeros on the page number each time
    the pages come round); the two wrk threads take alternate numbers."""
    pages = max(1, min(20, national.made()["courses"] // 25))
    text = f"""{_TAKE_TURNS}local sorts = {{"title", "date", "price"}}
function request()
  local sort = sorts[n % 3 + 1]
  local page = math.floor(n / 3) % {pages} + 1
  local zeros = string.rep("0", math.floor(n / {3 * pages}))
  n = n + 2
  return wrk.format(nil, "/kurser/?sort=" .. sort .. "&page=" .. zeros .. page)
end
"""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".lua", delete=False, encoding="utf-8"
    ) as script:
        script.write(text)
    return script.name


def _app(url: str):
    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})


def _cookie(app, user: User) -> str:
    """The session cookie a real sign-in leaves: the login and the CSRF secret
    bound to the person (without the secret, every page would write one and
    re-sign the cookie, a cost no browser pays)."""
    token = people.start_login_session(user, lifetime=timedelta(hours=3)).token
    db.session.commit()
    field = app.config["WTF_CSRF_FIELD_NAME"]
    return app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": token, "_fresh": False, field: csrf_secret_for(user.id)}
    )


def build(url: str) -> dict:
    """Choose the people and objects of the national dataset the pages are read
    as, and add the booking POST's people and sessions."""
    app = _app(url)
    with app.app_context():
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
        cookies = {
            "employee": _cookie(app, employee),
            "manager": _cookie(app, manager),
            "coordinator": _cookie(app, coordinator),
        }
        pairs, booked_course = _booking_pairs(app, team)
        counted_pair, pairs = pairs[-1], pairs[:-1]
        feed = f"/kalender/udbyder/{provider}.ics"
        pages = [
            Page("bare", "/bench/bare"),
            Page("floor", "/bench/floor", "employee"),
            # The catalogue page asks people to sign in; what anyone reads
            # without signing in is the API's listing.
            Page("catalogue (public API)", "/api/v1/courses"),
            Page("catalogue", "/kurser/", "employee"),
            Page(
                "catalogue, new query",
                "/kurser/",
                "employee",
                script=_new_queries(),
                fresh=True,
            ),
            Page("course page", f"/kurser/{course}", "employee"),
            Page("dashboard", "/", "employee"),
            Page("Min kompetenceprofil", "/kompetencer/vurdering/profil", "employee"),
            Page("team heat map", "/kompetencer/vurdering/team", "manager"),
            Page("approval inbox", "/tilmeldinger/godkendelser", "manager"),
            Page("Forslag til dig", "/forslag", "employee"),
            Page("the plan", f"/planer/{plan}", "employee"),
            Page("demand report", "/rapporter/efterspoergsel", "coordinator"),
            Page("Mine tilmeldinger", "/tilmeldinger/", "employee"),
            Page("provider feed", feed),
            Page("provider feed (304)", feed, conditional=True),
            Page("personal feed", f"/kalender/personlig/{secret}.ics"),
            Page("booking POST", "/", script=_booking_script(pairs), posts=True),
        ]
        queries = _queries(pages, cookies, counted_pair)
        db.session.remove()
        db.engine.dispose()
    return {
        "pages": pages,
        "cookies": cookies,
        "queries": queries,
        "booked_course": booked_course,
    }


def _validators(answer_headers) -> dict[str, str]:
    """A first answer's ETag and Last-Modified, sent back so the feed answers 304.
    The ETag names the address the feed was read at, so each is asked for its own."""
    return {
        "If-None-Match": answer_headers["ETag"],
        "If-Modified-Since": answer_headers["Last-Modified"],
    }


def _queries(pages: list[Page], cookies, pair: dict) -> dict[str, int]:
    """Statements one request of each page issues, in-process on the same data
    (the booking POST books `pair`, which the wrk script leaves out)."""
    counted = {}
    inner = bench_app()
    # Each request in an app context of its own, as under gunicorn: with the
    # counting context's `g` shared, every page after the first would run as the
    # first page's person (Flask-Login keeps the user in `g`).
    inner.test_client_class = IsolatedClient
    client = inner.test_client()
    with inner.app_context():
        for page in pages:
            client.delete_cookie("session")
            if page.who:
                client.set_cookie("session", cookies[page.who])
            if page.posts:
                client.set_cookie("session", pair["cookie"])
                path = f"/hold/{pair['session']}/tilmeld"
                form = {"csrf_token": pair["csrf_token"], "expect": "seat"}
                with counting_queries() as statements:
                    status = client.post(path, data=form).status_code
                expected = 302
            elif page.fresh:  # a query the wrk script never asks
                with counting_queries() as statements:
                    status = client.get(_NEVER_ASKED).status_code
                expected = 200
            else:
                first = client.get(page.path)  # warm per-process caches
                headers = _validators(first.headers) if page.conditional else {}
                with counting_queries() as statements:
                    status = client.get(page.path, headers=headers).status_code
                expected = 304 if page.conditional else 200
            if status != expected:
                raise RuntimeError(f"{page.name}: {page.path} answered {status}")
            counted[page.name] = len(statements)
    return counted


def _millis(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _load(
    port: int,
    page: Page,
    cookie: str | None,
    headers: dict,
    seconds: float = SECONDS,
    server=None,
) -> dict:
    command = ["wrk", "--latency", "-t", "2", "-c", str(CONNECTIONS)]
    command += ["-d", f"{max(1, int(seconds))}s", "--timeout", "10s"]
    command += ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if page.script:
        command += ["-s", page.script]
    cpu = serving.workers_cpu(server) if server else float("nan")
    out = subprocess.run(
        command + [f"http://127.0.0.1:{port}{page.path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # wrk counts 4xx and 5xx here (a 304 or the booking's redirect is no error).
    if "Non-2xx" in out:
        raise RuntimeError(f"{page.name}: wrk saw 4xx or 5xx answers\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _millis(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _millis(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    cpu = (serving.workers_cpu(server) - cpu) / done * 1e6 if server else cpu
    return {"rate": rate, "p50": p50, "p99": p99, "requests": done, "cpu_us": cpu}


def _fastest(port, page, cookie, headers, seconds, server, *, tries=TRIES) -> dict:
    """The faster of `tries` loads of `page` (see TRIES)."""
    loads = [_load(port, page, cookie, headers, seconds, server) for _ in range(tries)]
    return max(loads, key=lambda load: load["rate"])


def _answer(port: int, path: str, headers: dict) -> tuple[int, dict]:
    """One GET as wrk sends it: the status and the headers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"User-Agent": USER_AGENT} | headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status, dict(answer.getheaders())
    finally:
        conn.close()


def _bookings_made(url: str, course_id: int) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(
                sa.select(sa.func.count(Booking.id))
                .join(CourseSession, CourseSession.id == Booking.course_session_id)
                .where(CourseSession.course_id == course_id)
            )
    finally:
        engine.dispose()


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
    # The 304 goal is without the per-worker feed state cache: every request
    # reads the state, in gunicorn's workers and in the counted requests alike.
    os.environ["BENCH_FEED_STATE_SECONDS"] = "0"
    built = build(url)
    wanted = {n.strip() for n in os.environ.get("BENCH_PAGES", "").split(",") if n}
    if unknown := wanted - {page.name for page in built["pages"]}:
        raise SystemExit(f"BENCH_PAGES names no page called {sorted(unknown)}")
    if wanted:
        built["pages"] = [
            p for p in built["pages"] if p.name in wanted or p.name == "bare"
        ]
    port = serving.free_port()
    server = serving.serve(url, port)
    try:
        results = {}
        bare = built["pages"][0]
        for page in built["pages"]:
            cookie = built["cookies"].get(page.who) if page.who else None
            # The bare endpoint again just before each page, so the page's share
            # is taken against the machine as it was then: on a shared machine
            # the bare rate moved threefold between runs, and one measurement
            # at the start swung every later share with it.
            near = None
            if page is not bare:
                near = _fastest(port, bare, None, {}, BARE_SECONDS, server)
            if not page.script:
                signed = {"Cookie": f"session={cookie}"} if cookie else {}
                # Each worker's caches warm: one request warmed one worker, and
                # the other built its templates and catalogues inside the 2 s
                # measured (issue 19: a floor read 2,950 us of CPU a request
                # for 1,240 warm). Each request is a new connection, which
                # either worker may take: eight miss one of two at 1 in 128.
                for _ in range(8):
                    _answer(port, page.path, signed)
            headers = {}
            if page.conditional:
                headers = _validators(_answer(port, page.path, {})[1])
            tries = 1 if page.posts else TRIES
            results[page.name] = _fastest(
                port, page, cookie, headers, SECONDS, server, tries=tries
            )
            results[page.name]["queries"] = built["queries"][page.name]
            if near is not None:
                results[page.name]["bare_rate"] = near["rate"]
                results[page.name]["bare_cpu_us"] = near["cpu_us"]
            if page.conditional and _answer(port, page.path, headers)[0] != 304:
                raise RuntimeError(f"{page.name}: not answered with 304")
    finally:
        serving.stop(server)
    # Every booking POST was a real write: one new booking each (those still
    # in flight when wrk stopped may add up to one a connection).
    if "booking POST" in results:
        posted = results["booking POST"]["requests"]
        booked = _bookings_made(url, built["booked_course"]) - 1  # less the counted
        if not posted <= booked <= posted + CONNECTIONS:
            raise RuntimeError(f"booking POST: {posted} requests made {booked}")
    _table(label, sa.make_url(url).get_backend_name(), results)
    _write(label, results)


def _table(label: str, backend: str, results: dict) -> None:
    """One line a page; each of the issue's goals marked met or MISSED."""
    bare = results["bare"]["rate"]
    print(
        f"{label}: gunicorn (deploy/gunicorn.conf.py, 2 workers), "
        f"wrk -c {CONNECTIONS}, {SECONDS:.0f} s a page"
    )
    print(
        f"{label}: {'page':<24} {'req/s':>7} {'bare':>6} {'share':>6} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'queries':>7}  {'share goal':<20} p99 < {TAIL}x p50"
        f"  CPU us (bare, share)"
    )
    met = missed = 0
    for name, r in results.items():
        r["share"] = share = r["rate"] / r.get("bare_rate", bare)
        goal = _goal(name, backend)
        verdicts = [None if goal is None else share >= goal, r["p99"] < TAIL * r["p50"]]
        met += verdicts.count(True)
        missed += verdicts.count(False)
        first = "" if goal is None else _mark(verdicts[0]) + f" (>= {goal:.0%})"
        print(
            f"{label}: {name:<24} {r['rate']:7.0f} {r.get('bare_rate', bare):6.0f} "
            f"{share:6.0%} {r['p50']:7.1f} "
            f"{r['p99']:7.1f} {r['queries']:7d}  {first:<20} "
            f"{_mark(verdicts[1]):<13} {_cpu(r, results['bare'])}",
            flush=True,
        )
        if goal is not None:
            goals.record(
                f"{name}: share of bare >= {goal:.0%}",
                label,
                f"{share:.0%}",
                verdicts[0],
            )
    print(f"{label}: goals met {met}, missed {missed}")
    # A page that answered nothing in its seconds has no p50: it counts as over.
    tails = {
        name: r["p99"] / r["p50"] if r["p50"] else float("inf")
        for name, r in results.items()
    }
    worst = max(tails, key=tails.get)
    over = sum(1 for t in tails.values() if t >= TAIL)
    goals.record(
        f"p99 < {TAIL}x p50 on every page ({over} of {len(tails)} over)",
        label,
        f"worst {tails[worst]:.1f}x" if tails[worst] < float("inf") else "no answer",
        over == 0,
    )


def _cpu(r: dict, bare: dict) -> str:
    """The workers' CPU per request, beside the bare endpoint's just before;
    their ratio is the share by CPU, which load moves less than req/s."""
    page, near = r["cpu_us"], r.get("bare_cpu_us", bare["cpu_us"])
    if page != page or not page:  # nan: no /proc
        return ""
    return f"{page:6.0f} ({near:4.0f}, {near / page:4.0%})"


def _mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


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
    print(f"{label}: written to {latest} and pages-{name}.svg")


def main() -> None:
    national.on_each_database(run)


if __name__ == "__main__":
    main()
