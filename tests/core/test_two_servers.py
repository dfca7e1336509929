"""Two application machines against one PostgreSQL (issue 19, README "Drift"): two
gunicorn servers on different ports, behind nothing, each with its own processes
and connections. Sign-ins, bookings and approvals go through both at once; no
change is lost or made twice, a session begun on one server is valid on the
other, and the sign-in limit is counted across both (it lives in the database,
not in a process)."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from functools import partial
from http.cookiejar import CookieJar
from itertools import cycle

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import UnitKind, User
from courses.bookings.models import SEAT_STATUSES, Booking, BookingStatus
from courses.sessions.models import CourseSession
from tests.courses.bookings import concurrency, factories
from tests.gunicorn import serving

pytestmark = pytest.mark.slow

PEOPLE = 10
PASSWORD = "to-servere-en-database-2026"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def servers(app, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "two servers need a database server both reach over the network; "
            "SQLite is one file on one machine (set TEST_DATABASE_URL to PostgreSQL)"
        )
    with serving(database_url, tmp_path, servers=2, workers=2) as bases:
        yield bases


class Browser:
    """One person's cookie jar, talking to one server (`base`, which may change:
    the cookie travels with the person, as behind a load balancer)."""

    def __init__(self, base: str, jar: CookieJar | None = None):
        self.base = base
        self.jar = jar if jar is not None else CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def on(self, base: str) -> "Browser":
        """The same person (the same cookies) on another server."""
        return Browser(base, self.jar)

    def get(self, path: str) -> tuple[str, str]:
        """The page shown and the address it ended on (after redirects)."""
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode(), response.geturl()

    def token(self, path: str) -> str:
        return _CSRF.search(self.get(path)[0]).group(1)

    def post(self, path: str, fields: dict) -> int:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def sign_in(self, email: str, password: str = PASSWORD) -> int:
        fields = {"csrf_token": self.token("/log-ind"), "email": email}
        return self.post("/log-ind", fields | {"password": password})


def _at_once(calls) -> list:
    """Run the calls in threads released together; their results in call order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait(timeout=60)
        results[i] = call()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _team_with_manager(create_unit, create_user) -> tuple[User, list[User]]:
    team = create_unit(UnitKind.team)
    manager = create_user("manager", team=team, password=PASSWORD)
    team.manager = manager
    ids = concurrency.make_people(PEOPLE, team)
    staff = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()
    for person in staff:
        person.password_hash = manager.password_hash  # one slow hash is enough
    db.session.commit()
    return manager, staff


def _seat_holders(course_session_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.course_session_id == course_session_id,
            Booking.status.in_(SEAT_STATUSES),
        )
    )


def test_sign_ins_bookings_and_approvals_through_two_servers(
    servers, create_unit, create_user
):
    manager, staff = _team_with_manager(create_unit, create_user)
    paid = factories.make_session(capacity=PEOPLE, price=1500)  # asks the manager
    bases = cycle(servers)

    # Sign-ins alternate between the servers; each session works on the other one.
    people = [Browser(next(bases)) for _ in staff]
    signing_in = [
        partial(b.sign_in, p.email) for b, p in zip(people, staff, strict=True)
    ]
    assert _at_once(signing_in) == [200] * PEOPLE
    for browser, person in zip(people, staff, strict=True):
        other = browser.on(servers[1] if browser.base == servers[0] else servers[0])
        page, ended_on = other.get("/tilmeldinger/")
        assert ended_on.endswith("/tilmeldinger/")
        assert person.name in page

    # Everyone asks for the paid session twice at the same moment, once through
    # each server (a double click behind a load balancer): one request each.
    asks = []
    for browser in people:
        fields = {
            "csrf_token": browser.token(f"/kurser/{paid.course_id}"),
            "expect": "request",
        }
        for base in servers:
            asks.append(
                partial(browser.on(base).post, f"/hold/{paid.id}/tilmeld", fields)
            )
    assert set(_at_once(asks)) == {200}
    db.session.expire_all()
    requested = db.session.scalars(
        sa.select(Booking).where(Booking.course_session_id == paid.id)
    ).all()
    assert len(requested) == PEOPLE
    assert {b.status for b in requested} == {BookingStatus.requested}
    assert {b.user_id for b in requested} == {p.id for p in staff}

    # The manager signs in on one server and decides on both, each request twice
    # at once (once per server): every request approved exactly once, every seat
    # counted exactly once.
    boss = Browser(servers[0])
    assert boss.sign_in(manager.email) == 200
    token = boss.token("/tilmeldinger/godkendelser")
    fields = {"csrf_token": token, "comment": "God idé"}
    decisions = [
        partial(boss.on(base).post, f"/tilmeldinger/{booking.id}/godkend", fields)
        for booking in requested
        for base in servers
    ]
    assert set(_at_once(decisions)) <= {200, 409}
    db.session.expire_all()
    statuses = db.session.scalars(
        sa.select(Booking.status).where(Booking.course_session_id == paid.id)
    ).all()
    assert statuses == [BookingStatus.confirmed] * PEOPLE
    assert _seat_holders(paid.id) == PEOPLE
    assert db.session.get(CourseSession, paid.id).seats_taken == PEOPLE
    for browser in people:  # each person sees their seat, on either server
        for base in servers:
            page, _ = browser.on(base).get("/tilmeldinger/")
            assert paid.course.title in page


def test_the_sign_in_limit_is_counted_across_both_servers(servers, app, create_user):
    person = create_user("employee", email="mette@jobcenter.demo.dk", password=PASSWORD)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    bases = cycle(servers)
    answers = [
        Browser(next(bases)).sign_in(person.email, "forkert") for _ in range(4 * limit)
    ]
    # Each server counting on its own would let 2 x limit wrong passwords through.
    assert answers.count(401) == limit
    assert set(answers[limit:]) == {429}
    # Locked on both: even the right password is refused, whichever server.
    assert [Browser(base).sign_in(person.email) for base in servers] == [429, 429]
