"""Impossible values are refused all at once (issue 15): one submit shows every
problem in the error summary and beside its field, with Danish numbers, and
nothing is written."""

from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from core.db import db
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting
from tests.dates import working_day


def _session_form(first, **changes) -> dict:
    data = {
        "capacity": "16",
        "min_participants": "",
        "price_state": "",
        "price_municipal": "",
        "booking_deadline": "",
        "cancellation_deadline": "",
        "location": "Odense",
        "online_url": "",
        "status": "open",
        "day": first.isoformat(),
        "start": "09:00",
        "end": "15:30",
        "place": "",
        "title": "",
    }
    return data | changes


def _summary(response) -> str:
    text = unescape(response.text)
    start = text.index('id="error-summary"')
    return text[start : text.index("</div>", start)]


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def staff_course(login_as, make_provider, make_course):
    staff = login_as("provider_staff")
    return make_course(make_provider(staff), title="Partsservice")


def test_a_new_session_in_the_past_with_no_seats_shows_every_problem(
    client, staff_course
):
    past = working_day(-20)
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt",
        data=_session_form(
            past,
            capacity="0",
            end="08:00",
            price_state="2.000.000",
            cancellation_deadline=(past - timedelta(days=3)).isoformat(),
        ),
    )
    assert response.status_code == 400
    summary = _summary(response)
    for message in (
        "Første kursusdag er overstået: vælg i dag eller en senere dag.",
        "Antal pladser: Skriv et helt tal fra 1 til 10.000.",
        "Kursusdagen skal slutte, efter den starter.",
        "Skriv et beløb i kroner fra 0 til 1.000.000",
        "Fristen er overskredet: vælg i dag eller en senere dag.",
    ):
        assert message in summary
    assert _count(CourseSession) == 0
    assert _count(Meeting) == 0


def test_deadlines_after_the_start_and_years_before_it_are_both_shown(
    client, staff_course
):
    first = working_day(800)
    response = client.post(
        f"/kurser/{staff_course.id}/hold/nyt",
        data=_session_form(
            first,
            capacity="0",
            min_participants="40",
            booking_deadline=(first + timedelta(days=2)).isoformat(),
            cancellation_deadline=working_day(10).isoformat(),
        ),
    )
    assert response.status_code == 400
    summary = _summary(response)
    assert "Tilmeldingsfrist: Fristen skal ligge før første kursusdag." in summary
    assert "Afmeldingsfrist: Fristen ligger mere end et år før første" in summary
    assert "tjek årstallet" in summary
    assert "Antal pladser: Skriv et helt tal fra 1 til 10.000." in summary
    assert _count(CourseSession) == 0


def test_editing_a_session_shows_every_problem_and_changes_nothing(
    client, staff_course, make_session
):
    course_session = make_session(staff_course, days=(60,), capacity=12)
    course_session.seats_taken = 7
    db.session.commit()
    first = course_session.meetings[0].first_day
    response = client.post(
        f"/hold/{course_session.id}/rediger",
        data=_session_form(
            first,
            capacity="5",
            min_participants="9",
            booking_deadline=(first + timedelta(days=1)).isoformat(),
            cancellation_deadline=(first - timedelta(days=900)).isoformat(),
        ),
    )
    assert response.status_code == 400
    summary = _summary(response)
    for message in (
        "de 7 pladser, der allerede er taget",
        "Minimum skal være mellem nul og antal pladser.",
        "Fristen skal ligge før første kursusdag.",
        "Fristen er overskredet",
    ):
        assert message in summary
    db.session.expire_all()
    kept = db.session.get(CourseSession, course_session.id)
    assert (kept.capacity, kept.min_participants) == (12, 0)
    assert kept.booking_deadline is None
    assert kept.cancellation_deadline is None


def test_a_deadline_a_year_before_an_existing_session_is_refused(
    client, staff_course, make_session
):
    course_session = make_session(staff_course, days=(500,))
    first = course_session.meetings[0].first_day
    response = client.post(
        f"/hold/{course_session.id}/rediger",
        data=_session_form(
            first, cancellation_deadline=working_day(20).isoformat(), capacity="0"
        ),
    )
    assert response.status_code == 400
    summary = _summary(response)
    assert "mere end et år før første kursusdag" in summary
    assert "Skriv et helt tal fra 1 til 10.000." in summary
    db.session.expire_all()
    assert db.session.get(CourseSession, course_session.id).capacity == 10


def test_a_course_day_in_the_past_or_ending_before_it_starts_is_refused(
    client, staff_course, make_session
):
    course_session = make_session(staff_course, days=(30,))
    response = client.post(
        f"/hold/{course_session.id}/kursusdage/ny",
        data={"day": working_day(-20).isoformat(), "start": "12:00", "end": "09:00"},
    )
    assert response.status_code == 400
    summary = _summary(response)
    assert "Dagen er overstået: vælg i dag eller en senere dag." in summary
    assert "Kursusdagen skal slutte, efter den starter." in summary
    assert _count(Meeting) == 1


def test_a_past_course_day_may_keep_its_day_when_its_place_changes(
    client, staff_course, make_session
):
    course_session = make_session(staff_course, days=(30, 31))
    meeting = course_session.meetings[0]
    past = working_day(-20)
    meeting.starts_at -= meeting.first_day - past
    meeting.ends_at -= meeting.ends_at.date() - past
    db.session.commit()
    response = client.post(
        f"/kursusdage/{meeting.id}/rediger",
        data={"day": past.isoformat(), "start": "09:00", "end": "15:00", "place": "B"},
    )
    assert response.status_code == 302, _summary(response)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).place == "B"


def test_the_course_form_shows_every_range_in_danish_numbers(
    client, login_as, make_provider
):
    provider = make_provider(login_as("provider_staff"))
    response = client.post(
        f"/udbyder/{provider.id}/kurser/nyt",
        data={
            "title": "",
            "description": "",
            "category": "",
            "format": "online",
            "duration_days": "0,2",
            "audience": "both",
            "price_state": "1.000.001",
            "price_municipal": "-5",
        },
    )
    assert response.status_code == 400
    summary = _summary(response)
    assert "Titel:" in summary
    assert "Varighed i dage: Skriv et tal fra 0,5 til 1.000" in summary
    for label in ("statslige", "kommunale"):
        field = f"Pris for {label} medarbejdere:"
        assert f"{field} Skriv et beløb i kroner fra 0 til 1.000.000," in summary
    assert _count(Course) == 0


def test_the_catalogue_services_name_their_ranges_in_danish_numbers(
    make_provider,
):
    from courses.catalogue import services
    from courses.catalogue.errors import CatalogueError

    with pytest.raises(CatalogueError) as refused:
        services.create_course(
            None, make_provider(), title="Kursus", duration_days="5000"
        )
    assert str(refused.value) == "Varigheden skal være mellem 0,5 og 1.000 dage."
    db.session.rollback()
    with pytest.raises(CatalogueError) as refused:
        services.create_course(None, make_provider(), title="Kursus", price_state=10**7)
    assert str(refused.value) == "Prisen skal være mellem 0 og 1.000.000 kr."
