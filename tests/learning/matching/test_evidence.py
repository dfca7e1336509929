"""Completion closes the loop: the provider marks a booking completed and the
employee's profile shows dated evidence beside the ratings; the gap stays put."""

import re
from datetime import timedelta

import sqlalchemy as sa
from babel.dates import format_date

from core.db import db, utcnow
from courses.bookings import services as bookings
from courses.bookings.models import BookingStatus
from courses.catalogue.models import ProviderMember
from courses.sessions.timing import local
from learning.assessments.models import Rating
from learning.matching.models import Evidence
from tests.courses.bookings.factories import make_course, make_session


def _gap(html: str, code: str) -> str:
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)
    return re.search(r'<td class="gap">(\d+)</td>', row).group(1)


def _finished_booking(person, course, staff):
    """A confirmed booking on a session that began and ended yesterday."""
    db.session.add(ProviderMember(provider=course.provider, user=staff))
    course_session = make_session(course)
    booking = bookings.book(person, course_session)
    db.session.commit()
    assert booking.status is BookingStatus.confirmed
    begun = utcnow() - timedelta(days=1)
    course_session.starts_at, course_session.ends_at = begun, begun + timedelta(hours=6)
    db.session.commit()
    return booking


def test_a_completed_course_shows_as_dated_evidence_and_the_gap_is_unchanged(
    client, login_as, create_user, consultant, link
):
    staff = create_user("provider_staff")
    course = link(make_course(title="Virksomhedskontakt"), {"S-VK1": 3, "B-V1": 3})
    booking = _finished_booking(consultant, course, staff)
    login_as(consultant)
    before = client.get("/kompetencer/vurdering/profil").get_data(as_text=True)
    assert "Gennemført:" not in before
    ratings = db.session.scalar(sa.select(sa.func.count(Rating.id)))

    client.post("/log-ud")
    login_as(staff)
    response = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "completed"}
    )
    assert response.status_code == 302
    assert booking.status is BookingStatus.completed

    client.post("/log-ud")
    login_as(consultant)
    html = client.get("/kompetencer/vurdering/profil").get_data(as_text=True)
    day = local(booking.course_session.ends_at).date()
    text = f"Gennemført: Virksomhedskontakt, {format_date(day, 'd. MMMM y', 'da')}"
    for code in ("S-VK1", "B-V1"):
        row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)
        assert text in row
        assert _gap(html, code) == _gap(before, code)
    assert "bekræfter et nyt niveau" in html
    assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == ratings


def test_completing_again_adds_no_second_evidence(
    client, login_as, create_user, consultant, link
):
    staff = create_user("provider_staff")
    course = link(make_course(title="Lovgivning"), {"B-V1": 3})
    booking = _finished_booking(consultant, course, staff)
    login_as(staff)
    url = f"/tilmeldinger/{booking.id}/fremmoede"
    for outcome in ("completed", "attended", "completed"):
        client.post(url, data={"outcome": outcome})
    evidence = db.session.scalars(sa.select(Evidence)).all()
    assert [(e.person_id, e.competence.code, e.title) for e in evidence] == [
        (consultant.id, "B-V1", "Lovgivning")
    ]


def test_the_manager_sees_the_evidence_on_the_persons_profile(
    client, login_as, create_user, consultant, link, small_framework, team
):
    staff = create_user("provider_staff")
    # B-A1 is met already: the evidence shows all the same.
    course = link(make_course(title="Borgeren i centrum"), {"B-A1": 4})
    booking = _finished_booking(consultant, course, staff)
    bookings.record_attendance(staff, booking, "completed")
    db.session.commit()
    manager = login_as("manager", team=team)
    assert manager.id == team.manager_id
    html = client.get(f"/kompetencer/vurdering/personer/{consultant.id}/profil")
    assert html.status_code == 200
    assert "Gennemført: Borgeren i centrum" in html.get_data(as_text=True)
