"""The provider's participant list with attendance, and declared interest."""

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import UnitKind
from courses.bookings import services
from courses.bookings.models import Booking, BookingStatus, CourseInterest

S = BookingStatus


def _started_session(make_session, make_course, make_provider, staff):
    cs = make_session(make_course(make_provider(staff)))
    return cs


def test_provider_marks_attendance(
    client, login_as, create_user, make_session, make_course, make_provider
):
    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)))
    booking = services.book(create_user(name="Mette Holm"), cs)
    cs.starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    login_as(staff)
    page = client.get(f"/hold/{cs.id}/deltagerliste").get_data(as_text=True)
    assert "Mette Holm" in page
    assert "Registrér fremmøde" in page
    response = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede",
        data={"outcome": "completed"},
        follow_redirects=True,
    )
    assert "gennemført" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status is S.completed
    bad = client.post(f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "x"})
    assert bad.status_code == 400


def test_attendance_before_the_session_is_refused(
    client, login_as, create_user, make_session, make_course, make_provider
):
    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)))
    booking = services.book(create_user(), cs)
    db.session.commit()
    login_as(staff)
    response = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "attended"}
    )
    assert response.status_code == 409
    assert "Fremmøde kan registreres fra første kursusdag" in response.text


def test_other_providers_cannot_see_or_mark(
    client, login_as, create_user, make_session
):
    cs = make_session()
    booking = services.book(create_user(), cs)
    db.session.commit()
    login_as("provider_staff")
    assert client.get(f"/hold/{cs.id}/deltagerliste").status_code == 403
    assert client.get(f"/hold/{cs.id}/deltagere.csv").status_code == 403
    response = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "attended"}
    )
    assert response.status_code == 403


def test_participant_list_queries_do_not_grow(
    client,
    login_as,
    create_user,
    make_session,
    make_course,
    make_provider,
    count_queries,
):
    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)), capacity=30)
    services.book(create_user(), cs)
    db.session.commit()
    login_as(staff)
    with count_queries() as few:
        client.get(f"/hold/{cs.id}/deltagerliste")
    for _ in range(10):
        services.book(create_user(), cs)
    db.session.commit()
    with count_queries() as many:
        client.get(f"/hold/{cs.id}/deltagerliste")
    assert len(few) == len(many)


def test_interest_is_counted_by_jobcentre(
    client, login_as, create_user, create_unit, make_course
):
    course = make_course(title="Kursus uden hold")
    jobcentre = create_unit(UnitKind.jobcentre, name="Jobcenter Vejle")
    for _ in range(2):
        person = login_as("employee", team=create_unit(UnitKind.team, parent=jobcentre))
        response = client.post(f"/kurser/{course.id}/interesse")
        assert response.status_code == 302
    client.post(f"/kurser/{course.id}/interesse")  # a repeat counts once
    assert db.session.scalar(sa.select(sa.func.count(CourseInterest.id))) == 2
    coordinator = create_user(
        "coordinator", team=create_unit(UnitKind.team, parent=jobcentre)
    )
    login_as(coordinator)
    text = client.get("/interesse/").get_data(as_text=True)
    assert "Kursus uden hold" in text
    assert "Jobcenter Vejle" in text
    assert person is not None


def test_interest_is_refused_when_a_session_is_open(client, login_as, make_session):
    cs = make_session()
    login_as("employee")
    response = client.post(f"/kurser/{cs.course_id}/interesse")
    assert response.status_code == 409
    assert "Kurset har et åbent hold" in response.get_data(as_text=True)


def test_the_providers_session_page_includes_attendance(
    client, login_as, create_user, make_session, make_course, make_provider
):
    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)))
    services.book(create_user(name="Jens Bo"), cs)
    cs.starts_at = utcnow() - timedelta(hours=1)  # attendance opens with the course
    db.session.commit()
    login_as(staff)
    response = client.get(f"/hold/{cs.id}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Deltagere og deres fremmøde" in text
    assert "Fremmøde for Jens Bo" in text


def test_the_session_page_has_one_participant_list_and_its_csv(
    client, login_as, create_user, create_unit, make_session, make_course, make_provider
):
    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)))
    team = create_unit()
    ida = create_user(name="Ida Jensen", team=team, email="ida@jobcenter.demo.dk")
    bo = create_user(name="=Bo Formel", team=team)
    gone = create_user(name="Afmeldt Person")
    for user, status in ((ida, S.confirmed), (bo, S.waitlisted), (gone, S.cancelled)):
        db.session.add(
            Booking(
                user=user,
                course_session=cs,
                status=status,
                budget_year=cs.starts_at.year,
                price=0,
            )
        )
    db.session.commit()
    login_as(staff)
    page = client.get(f"/hold/{cs.id}").text
    assert page.count("<table") == 2  # the course days and the one participant list
    assert "Ida Jensen" in page
    assert "ida@jobcenter.demo.dk" in page
    assert "på venteliste" in page
    assert "Afmeldt Person" not in page
    response = client.get(f"/hold/{cs.id}/deltagere.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Navn", "E-mail"]
    assert rows[1][:2] == ["Ida Jensen", "ida@jobcenter.demo.dk"]
    assert rows[1][3] == team.parent.name
    assert rows[2][0] == "'=Bo Formel"  # never read as a spreadsheet formula
    assert len(rows) == 3
