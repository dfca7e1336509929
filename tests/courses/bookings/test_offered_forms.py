"""The pages offer only what the person may do: every booking, waiting-list and
interest form a demo user is shown is accepted, and a course not meant for the
person shows no price and no button, but says who it is for."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from core.db import db, utcnow
from core.people.demo import DEMO_PASSWORD, load_demo_data
from core.people.models import EmployerKind
from courses.bookings.models import Booking, BookingStatus, CourseInterest
from courses.catalogue.models import Audience, Course
from courses.sessions.models import CourseSession

ROLES = ("employee", "manager", "coordinator", "provider", "admin", "keyperson")
# The forms that book, queue, register interest or answer an offer.
BOOKING_FORM = re.compile(
    r"^/(hold/\d+/tilmeld|kurser/\d+/interesse|tilmeldinger/\d+/accepter)$"
)
MESSAGE = re.compile(r'<p class="alert-text"[^>]*>\s*(.*?)\s*</p>', re.S)


class Forms(HTMLParser):
    """The POST forms of a page: action and hidden fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self._open: tuple[str, list] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._open = (a.get("action") or "", [])
        elif tag == "input" and self._open is not None and a.get("name"):
            self._open[1].append((a["name"], a.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._open is not None:
            action, fields = self._open
            self.found.append((action, tuple(fields)))
            self._open = None


def booking_forms(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = Forms()
    parser.feed(html)
    return [(a, f) for a, f in parser.found if BOOKING_FORM.match(a)]


def submit_every_form(client, path: str, refusals: list[str]) -> int:
    """Open `path`, send each booking form it offers, reopen it to find the forms
    the answer brought (a withdrawal, an offer), until none is new."""
    sent: set = set()
    while True:
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200:
            return len(sent)
        new = [form for form in booking_forms(response.text) if form not in sent]
        if not new:
            return len(sent)
        for action, fields in new:
            sent.add((action, fields))
            answer = client.post(action, data=dict(fields))
            if answer.status_code != 302:
                told = MESSAGE.search(answer.text)
                refusals.append(
                    f"{path}: POST {action} {dict(fields)} -> {answer.status_code} "
                    f"{told.group(1) if told else ''}"
                )


@pytest.fixture(scope="module")
def demo_people():
    return {p["key"]: p for p in load_demo_data()["people"]}


@pytest.mark.parametrize("role", ROLES)
def test_every_form_a_demo_user_is_offered_is_accepted(app, client, demo_people, role):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    response = client.post(
        "/log-ind",
        data={"email": demo_people[role]["email"], "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    course_ids = db.session.scalars(sa.select(Course.id).order_by(Course.id)).all()
    session_ids = db.session.scalars(
        sa.select(CourseSession.id).order_by(CourseSession.id)
    ).all()
    pages = [f"/kurser/{i}" for i in course_ids]
    pages += [f"/kurser/{i}/hold/" for i in course_ids]
    pages += [f"/hold/{i}" for i in session_ids]
    refusals: list[str] = []
    sent = sum(submit_every_form(client, path, refusals) for path in pages)
    assert refusals == []
    if role == "employee":
        assert sent > 0, "the demo employee is offered something to book"


def test_a_course_for_state_staff_offers_a_municipal_employee_nothing(
    client, login_as, make_course, make_session
):
    course = make_course(audience=Audience.state, title="Kun for staten")
    course_session = make_session(course, capacity=10)
    later = make_course(audience=Audience.state, title="Statens næste kursus")
    login_as("employee", employer_kind=EmployerKind.municipal)
    for shown in (course, later):  # with a session to book; with none (interest)
        text = client.get(f"/kurser/{shown.id}").text
        assert "Kurset er kun for statslige medarbejdere" in text
        assert "Pris for dig" not in text
        assert "kr." not in text
        assert booking_forms(text) == []  # no booking, waiting list or interest
    # The route says the same as the page: the course is not for this person.
    answer = client.post(f"/hold/{course_session.id}/tilmeld", data={"expect": "seat"})
    assert answer.status_code == 409
    answer = client.post(f"/kurser/{later.id}/interesse", data={})
    assert answer.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(CourseInterest.id))) == 0


def test_the_same_course_is_offered_to_state_staff_with_its_price(
    client, login_as, make_course, make_session
):
    course = make_course(audience=Audience.state)
    make_session(course, capacity=10)
    login_as("employee", employer_kind=EmployerKind.state)
    text = client.get(f"/kurser/{course.id}").text
    assert "Kurset er kun for" not in text
    assert "Pris for dig" in text
    assert len(booking_forms(text)) == 1


def test_a_clash_is_said_on_the_page_not_offered_as_a_button(
    client, login_as, make_course, make_session
):
    person = login_as("employee")
    start = utcnow().replace(microsecond=0) + timedelta(days=30)
    held = make_session(make_course(title="Det første kursus"), start=start)
    db.session.add(
        Booking(
            user=person,
            course_session=held,
            status=BookingStatus.confirmed,
            budget_year=start.year,
        )
    )
    other = make_session(make_course(), start=start)
    db.session.commit()
    text = client.get(f"/kurser/{other.course_id}").text
    assert booking_forms(text) == []
    assert "Det første kursus" in text
