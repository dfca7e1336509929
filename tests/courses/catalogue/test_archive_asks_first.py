"""Archiving a course asks first (issue 15): a page, or with JavaScript a dialog
on the course's page, that says what archiving means; the reason is recorded."""

import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from courses.catalogue.models import Course


def test_archiving_asks_first_and_asking_changes_nothing(
    client, login_as, make_provider, make_course
):
    course = make_course(make_provider(login_as("provider_staff")), title="Jura")
    detail = client.get(f"/kurser/{course.id}").text
    assert f'href="/kurser/{course.id}/arkiver" data-confirm="archive-course"' in detail
    assert 'id="archive-course" aria-hidden="true" role="dialog"' in detail

    page = client.get(f"/kurser/{course.id}/arkiver")
    assert page.status_code == 200
    assert "<h1>Vil du arkivere kurset?</h1>" in page.text
    assert "Jura forsvinder fra kursuskataloget" in page.text
    db.session.expire_all()
    assert db.session.get(Course, course.id).archived_at is None

    response = client.post(
        f"/kurser/{course.id}/arkiver", data={"reason": "Erstattet af nyt kursus"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).archived_at is not None
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "course.archive")
    )
    assert event.reason == "Erstattet af nyt kursus"


def test_a_bad_reason_archives_nothing(client, login_as, make_provider, make_course):
    course = make_course(make_provider(login_as("provider_staff")))
    response = client.post(f"/kurser/{course.id}/arkiver", data={"reason": "x" * 1001})
    assert response.status_code == 400
    assert "Skriv højst 1000 tegn." in response.text
    db.session.expire_all()
    assert db.session.get(Course, course.id).archived_at is None


def test_only_the_providers_staff_are_asked(client, login_as, make_course):
    course = make_course()
    login_as("provider_staff")
    assert client.get(f"/kurser/{course.id}/arkiver").status_code == 403
