"""The provider's session pages: access, creating, editing, cancelling, the list."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.db import db
from core.templating import long_date
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from tests.courses.catalogue.factories import ACCESS_ROLES, sign_in_as
from tests.dates import today, working_day


def _expect(who: str, ok: int) -> int:
    if who == "anonymous":
        return 302
    return ok if who in ("own_staff", "admin") else 403


@pytest.mark.parametrize("who", ACCESS_ROLES)
def test_session_pages_access(client, login_as, make_session, who):
    course_session = make_session(days=(30, 31))
    sid, mid = course_session.id, course_session.meetings[0].id
    cid = course_session.course_id
    sign_in_as(who, login_as, course_session.course.provider)
    for path in (
        f"/kurser/{cid}/hold/",
        f"/kurser/{cid}/hold/nyt",
        f"/hold/{sid}",
        f"/hold/{sid}/rediger",
        f"/hold/{sid}/kursusdage/ny",
        f"/kursusdage/{mid}/rediger",
        f"/kursusdage/{mid}/aflys",
        f"/hold/{sid}/aflys",
    ):
        assert client.get(path).status_code == _expect(who, 200), path
    for path in (f"/kursusdage/{mid}/aflys", f"/hold/{sid}/aflys"):
        response = client.post(path, data={"reason": "Syg"})
        assert response.status_code == _expect(who, 302), path


@pytest.mark.parametrize("path", ["/hold/999999", "/kursusdage/999999/rediger"])
def test_unknown_sessions_are_404(client, login_as, path):
    login_as("admin")
    assert client.get(path).status_code == 404


def _session_form(first: date, **changes) -> dict:
    data = {
        "capacity": "16",
        "min_participants": "6",
        "price_state": "",
        "price_municipal": "",
        "booking_deadline": (first - timedelta(days=14)).isoformat(),
        "cancellation_deadline": "",
        "location": "Odense",
        "online_url": "",
        "status": "open",
        "day": first.isoformat(),
        "start": "09:00",
        "end": "15:30",
        "place": "Lokale 2",
        "title": "Modul 1",
    }
    return data | changes


@pytest.fixture
def staff_course(login_as, make_provider, make_course):
    staff = login_as("provider_staff")
    return make_course(make_provider(staff), title="Partsservice")


def test_provider_creates_a_session_and_it_shows_in_the_catalogue(client, staff_course):
    day = working_day(45)
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt", data=_session_form(day)
    )
    assert response.status_code == 302
    course_session = db.session.scalar(sa.select(CourseSession))
    assert course_session.capacity == 16
    assert course_session.meetings[0].title == "Modul 1"
    page = client.get(f"/kurser/{staff_course.id}").text
    assert "16 ledige pladser" in page
    assert "09:00–15:30" in page


def test_holiday_is_refused_with_its_danish_name(client, staff_course):
    christmas = date(today().year + 1, 12, 25)
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt",
        data=_session_form(christmas, booking_deadline=""),
    )
    assert response.status_code == 400
    assert "er en helligdag (Juledag)" in response.text
    assert db.session.scalar(sa.select(sa.func.count(CourseSession.id))) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "08:00"}, "Kursusdagen skal slutte, efter den starter."),
        ({"capacity": "-3"}, "Antal pladser"),
        ({"capacity": "mange"}, "Antal pladser"),
        ({"price_state": "dyrt"}, "Skriv et beløb i kroner"),
        ({"min_participants": "40"}, "Minimum skal være mellem nul og antal pladser."),
        ({"day": "2027-02-30"}, "Dato"),
        ({"day": "0001-01-01", "booking_deadline": ""}, "mellem årene 2000 og 2100"),
        ({"booking_deadline": "9999-12-31"}, "mellem årene 2000 og 2100"),
        ({"status": "cancelled"}, "Status"),
        ({"online_url": "javascript:alert(1)"}, "Link til online undervisning"),
    ],
)
def test_bad_session_input_is_refused(client, staff_course, changes, message):
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt",
        data=_session_form(working_day(45), **changes),
    )
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(sa.select(sa.func.count(CourseSession.id))) == 0


def test_deadline_after_start_is_refused(client, staff_course):
    day = working_day(45)
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt",
        data=_session_form(day, booking_deadline=(day + timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 400
    assert "Fristen skal ligge før første kursusdag." in response.text


def test_capacity_below_seats_taken_is_refused(client, staff_course, make_session):
    course_session = make_session(staff_course, capacity=10)
    course_session.seats_taken = 7
    db.session.commit()
    form = _session_form(working_day(45), capacity="5")
    response = client.post(f"/hold/{course_session.id}/rediger", data=form)
    assert response.status_code == 400
    assert "de 7 pladser, der allerede er taget" in response.text
    db.session.expire_all()
    assert db.session.get(CourseSession, course_session.id).capacity == 10


def test_edit_meeting_and_add_one(client, staff_course, make_session):
    course_session = make_session(staff_course, days=(30,))
    meeting = course_session.meetings[0]
    day = working_day(60)
    form = {"day": day.isoformat(), "start": "10:00", "end": "12:00", "place": "Aula"}
    assert (
        client.post(f"/kursusdage/{meeting.id}/rediger", data=form).status_code == 302
    )
    assert db.session.get(Meeting, meeting.id).place == "Aula"
    form = form | {"day": working_day(90).isoformat()}
    path = f"/hold/{course_session.id}/kursusdage/ny"
    assert client.post(path, data=form).status_code == 302
    db.session.expire_all()
    assert len(db.session.get(CourseSession, course_session.id).meetings) == 2


def test_cancel_session(client, staff_course, make_session):
    course_session = make_session(staff_course, days=(30,))
    response = client.post(f"/hold/{course_session.id}/aflys", data={"reason": "Syg"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CourseSession, course_session.id).status is (
        SessionStatus.cancelled
    )
    assert "Holdet er aflyst." in client.get(response.headers["Location"]).text
    assert (
        f"/hold/{course_session.id}"
        not in client.get(f"/kurser/{staff_course.id}").text
    )


def test_holiday_name_follows_the_language(client, staff_course):
    client.post("/sprog/en", data={"next": "/"})
    christmas = date(today().year + 1, 12, 25)
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt",
        data=_session_form(christmas, booking_deadline=""),
    )
    assert response.status_code == 400
    assert "is a public holiday (Christmas Day)" in response.text


def test_too_long_cancellation_reason_is_refused(client, staff_course, make_session):
    course_session = make_session(staff_course, days=(30,))
    response = client.post(
        f"/hold/{course_session.id}/aflys", data={"reason": "x" * 1001}
    )
    assert response.status_code == 400
    assert "Skriv højst 1000 tegn." in response.text
    db.session.expire_all()
    assert db.session.get(CourseSession, course_session.id).status is SessionStatus.open


def test_only_web_links_are_clickable(client, staff_course, make_session):
    course_session = make_session(staff_course, days=(30,))
    course_session.online_url = "javascript:alert(1)"  # as an import might bring it
    db.session.commit()
    page = client.get(f"/hold/{course_session.id}").text
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page


def test_a_meeting_edited_shows_on_the_course_page_at_once(
    client, staff_course, make_session
):
    # The cards' days are kept per process, keyed by what they show (issue 19):
    # the page read before the edit must not answer after it.
    course_session = make_session(staff_course, days=(30,))
    meeting = course_session.meetings[0]
    before = client.get(f"/kurser/{staff_course.id}").get_data(as_text=True)
    assert "Aula" not in before
    day = working_day(40)
    form = {"day": day.isoformat(), "start": "10:00", "end": "12:15", "place": "Aula"}
    assert (
        client.post(f"/kursusdage/{meeting.id}/rediger", data=form).status_code == 302
    )
    after = client.get(f"/kurser/{staff_course.id}").get_data(as_text=True)
    assert "Aula" in after
    assert "10:00–12:15" in after
    with client.application.test_request_context():
        assert long_date(day) in after


def test_a_session_edited_shows_on_the_course_page_at_once(client, staff_course):
    # The cards' lines of seats, deadlines and place are kept per process, keyed
    # by what they show (issue 19): the line read before the edit must not
    # answer after it.
    day = working_day(45)
    path = f"/kurser/{staff_course.id}/hold/nyt"
    assert client.post(path, data=_session_form(day)).status_code == 302
    course_session = db.session.scalar(sa.select(CourseSession))
    before = client.get(f"/kurser/{staff_course.id}").text
    assert "16 ledige pladser" in before
    assert "Odense" in before
    deadline = day - timedelta(days=7)
    form = _session_form(
        day, capacity="12", location="Ærøskøbing", booking_deadline=deadline.isoformat()
    )
    response = client.post(f"/hold/{course_session.id}/rediger", data=form)
    assert response.status_code == 302
    after = client.get(f"/kurser/{staff_course.id}").text
    assert "12 ledige pladser" in after
    assert "16 ledige pladser" not in after
    assert "Ærøskøbing" in after
    assert "Odense" not in after
    with client.application.test_request_context():
        assert long_date(deadline) in after
    # The place alone, then the deadline alone.
    form = form | {"location": "Vejle"}
    assert (
        client.post(f"/hold/{course_session.id}/rediger", data=form).status_code == 302
    )
    after = client.get(f"/kurser/{staff_course.id}").text
    assert "Vejle" in after
    assert "Ærøskøbing" not in after
    later = day - timedelta(days=3)
    form = form | {"booking_deadline": later.isoformat()}
    assert (
        client.post(f"/hold/{course_session.id}/rediger", data=form).status_code == 302
    )
    after = client.get(f"/kurser/{staff_course.id}").text
    with client.application.test_request_context():
        assert long_date(later) in after
        assert long_date(deadline) not in after
