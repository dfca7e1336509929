"""Attendance recorded by the provider, the completion signal, and diploma modules
passed on completion (so their ECTS count)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db, utcnow
from core.notifications.models import Notification
from courses import signals
from courses.bookings import services
from courses.bookings.errors import BookingError
from courses.bookings.models import BookingStatus

S = BookingStatus


def test_attendance_by_the_provider_and_completion_signal(
    employee, create_user, make_provider, make_course, make_session
):
    staff = create_user("provider_staff")
    course = make_course(make_provider(staff))
    cs = make_session(course)
    booking = services.book(employee, cs)
    cs.starts_at = utcnow() - timedelta(hours=1)
    completed = []

    def receive(sender, **kwargs):
        completed.append(sender)

    signals.booking_completed.connect(receive)
    try:
        with pytest.raises(BookingError) as caught:
            services.record_attendance(employee, booking, "completed")
        assert caught.value.code == "not_allowed"
        services.record_attendance(staff, booking, "no_show")
        assert booking.status is S.no_show
        services.record_attendance(staff, booking, "completed")
    finally:
        signals.booking_completed.disconnect(receive)
    assert booking.status is S.completed
    assert completed == [booking]
    assert cs.seats_taken == 1


def test_attendance_waits_for_the_session_to_begin(
    employee, create_user, make_provider, make_course, make_session
):
    staff = create_user("provider_staff")
    booking = services.book(employee, make_session(make_course(make_provider(staff))))
    with pytest.raises(BookingError) as caught:
        services.record_attendance(staff, booking, "attended")
    assert caught.value.code == "session_not_started"


def _diploma_module(course, ects=10):
    from courses.diplomas.models import Diploma, DiplomaModule, ModuleKind

    diploma = Diploma(key=f"d-{course.id}", title="Diplom i beskæftigelse")
    module = DiplomaModule(
        diploma=diploma, course=course, ects=ects, kind=ModuleKind.mandatory
    )
    db.session.add_all([diploma, module])
    db.session.commit()
    return diploma, module


def test_completing_a_diploma_module_counts_its_ects(
    employee, create_user, make_session
):
    from courses.diplomas import services as diplomas

    admin = create_user("admin")
    cs = make_session()
    diploma, _module = _diploma_module(cs.course)
    booking = services.book(employee, cs)
    cs.starts_at = utcnow() - timedelta(hours=1)
    services.record_attendance(admin, booking, "completed")
    progress = diplomas.progress(employee, diploma)
    assert progress.ects[diplomas.ModuleStatus.passed] == 10


def test_a_provider_completion_asks_the_manager_to_record_the_module(
    employee, manager, create_user, make_provider, make_course, make_session
):
    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)))
    _diploma_module(cs.course)
    booking = services.book(employee, cs)
    cs.starts_at = utcnow() - timedelta(hours=1)
    services.record_attendance(staff, booking, "completed")
    assert booking.status is S.completed
    asked = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == manager.id)
    ).all()
    assert any("Diplommodul gennemført" in subject for subject in asked), asked
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "booking.module_completed")
    )
    assert event.after["recorded"] is False


def test_before_the_first_course_day_the_list_says_when_instead_of_a_form(
    client, login_as, employee, create_user, make_provider, make_course, make_session
):
    """Issue 15: the page offered a form that ended on a 409 page."""
    from tests.dates import danish

    staff = create_user("provider_staff")
    cs = make_session(make_course(make_provider(staff)))
    booking = services.book(employee, cs)
    db.session.commit()
    login_as(staff)

    page = client.get(f"/hold/{cs.id}/deltagerliste").text

    assert (
        f"Fremmøde kan registreres fra første kursusdag, {danish(cs.starts_at)}."
        in page
    )
    assert f"/tilmeldinger/{booking.id}/fremmoede" not in page
    refused = client.post(
        f"/tilmeldinger/{booking.id}/fremmoede", data={"outcome": "attended"}
    )
    assert refused.status_code == 409
    assert "Fremmøde kan registreres fra første kursusdag" in refused.text

    cs.starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = client.get(f"/hold/{cs.id}/deltagerliste").text
    assert "Fremmøde kan registreres fra" not in page
    assert f"/tilmeldinger/{booking.id}/fremmoede" in page
