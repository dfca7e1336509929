"""Two gunicorn servers on one database, many people booking the last seats over
HTTP at the same moment: exactly capacity are confirmed, nobody sees a 500, and
everyone put on the waiting list is told their own place in it."""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa

from core.db import db
from core.people.models import UnitKind, User
from courses.bookings import services
from courses.bookings.models import SEAT_STATUSES, Booking, BookingStatus
from courses.sessions.models import CourseSession
from tests.courses.bookings import concurrency, factories
from tests.gunicorn import serving

PEOPLE = 16
CAPACITY = 5
PASSWORD = "http-concurrency-2026"
WAITING = 40
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_TOLD = re.compile(r"Du er nummer (\d+) på ventelisten")


@pytest.fixture
def servers(app, database_url, tmp_path, request):
    with serving(
        database_url, tmp_path, servers=2, workers=getattr(request, "param", 1)
    ) as bases:
        yield bases


class Browser:
    """One person's cookie jar against one server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict) -> int:
        return self.submit(path, fields)[0]

    def submit(self, path: str, fields: dict) -> tuple[int, str]:
        """POST the form and follow the redirect: the status and the page shown."""
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def sign_in(self, email: str) -> None:
        token = _CSRF.search(self.get("/log-ind")).group(1)
        status = self.post(
            "/log-ind", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        assert status == 200


def _people(team, n: int = PEOPLE) -> list[str]:
    ids = concurrency.make_people(n, team)
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()
    users[0].set_password(PASSWORD)
    for user in users[1:]:
        user.password_hash = users[0].password_hash  # one slow hash is enough
    db.session.commit()
    return [u.email for u in users]


@pytest.mark.slow
def test_two_gunicorn_servers_confirm_exactly_capacity(servers, create_unit):
    emails = _people(create_unit(UnitKind.team))
    cs = factories.make_session(capacity=CAPACITY)
    browsers = []
    for i, email in enumerate(emails):
        browser = Browser(servers[i % 2])
        browser.sign_in(email)
        page = browser.get(f"/kurser/{cs.course_id}")
        browsers.append((browser, _CSRF.search(page).group(1)))
    barrier = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def book(browser: Browser, token: str) -> None:
        barrier.wait(timeout=60)
        statuses.append(
            browser.post(
                f"/hold/{cs.id}/tilmeld", {"csrf_token": token, "expect": "seat"}
            )
        )

    threads = [threading.Thread(target=book, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.expire_all()
    holders = db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.course_session_id == cs.id, Booking.status.in_(SEAT_STATUSES)
        )
    )
    assert sorted(set(statuses)) == [200, 409]  # booked, or told the session filled
    assert statuses.count(200) == holders == CAPACITY
    assert db.session.get(CourseSession, cs.id).seats_taken == CAPACITY
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == CAPACITY


def _signed_in(servers, emails, course_id) -> list[tuple[Browser, str, str]]:
    """One browser per person, signed in, holding the course page's form token."""
    browsers = []
    for i, email in enumerate(emails):
        browser = Browser(servers[i % len(servers)])
        browser.sign_in(email)
        page = browser.get(f"/kurser/{course_id}")
        browsers.append((browser, _CSRF.search(page).group(1), email))
    return browsers


@pytest.mark.slow
@pytest.mark.parametrize("servers", [2], indirect=True)
def test_everyone_on_the_waiting_list_is_told_their_own_place(servers, create_unit):
    emails = _people(create_unit(UnitKind.team), CAPACITY + WAITING)
    cs = factories.make_session(capacity=CAPACITY)
    browsers = _signed_in(servers, emails, cs.course_id)
    barrier = threading.Barrier(len(browsers))
    told: dict[str, int] = {}
    answers: list[int] = []

    def book(browser: Browser, token: str, email: str) -> None:
        barrier.wait(timeout=60)
        status, page = browser.submit(
            f"/hold/{cs.id}/tilmeld", {"csrf_token": token, "expect": "waitlist"}
        )
        answers.append(status)
        number = _TOLD.search(page)
        if number is not None:
            told[email] = int(number.group(1))

    threads = [threading.Thread(target=book, args=triple) for triple in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.expire_all()
    waiting = db.session.scalars(
        sa.select(Booking).where(
            Booking.course_session_id == cs.id,
            Booking.status == BookingStatus.waitlisted,
        )
    ).all()
    stored = {b.user.email: n for b, n in zip(waiting, _places(waiting), strict=True)}
    assert answers == [200] * len(browsers)
    assert len(waiting) == WAITING
    assert sorted(told.values()) == list(range(1, WAITING + 1))
    assert told == stored


def _places(bookings: list[Booking]) -> list[int]:
    positions = services.waitlist_positions(bookings)
    return [positions[b.id] for b in bookings]
