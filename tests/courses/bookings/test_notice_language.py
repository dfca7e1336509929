"""Notices and mails are written in their recipient's language, not in the
language of the page of the person who acted."""

import sqlalchemy as sa
from flask_babel import force_locale

from core.db import db
from core.notifications.models import Notification, OutboxMail
from core.templating import long_date
from courses.bookings import services


def _notices(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.subject)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def _mail_bodies(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(OutboxMail.body)
            .where(OutboxMail.to_address == user.email)
            .order_by(OutboxMail.id)
        )
    )


def test_each_side_of_an_approval_reads_its_own_language(
    client, login_as, manager, employee, make_session
):
    employee.language = "en"
    db.session.commit()
    course_session = make_session(price=100)
    title = course_session.course.title
    booking = services.book(employee, course_session)
    db.session.commit()
    assert _notices(employee) == [f"Awaiting approval: {title}"]
    assert _notices(manager) == [f"Godkendelse ønskes: {employee.name}, {title}"]

    login_as(manager)  # a Danish page
    response = client.post(f"/tilmeldinger/{booking.id}/godkend", data={"comment": ""})
    assert response.status_code == 302
    assert _notices(employee)[-1] == f"You are booked: {title}"
    with force_locale("en"):
        english_date = long_date(course_session.starts_at)
    confirmed = [b for b in _mail_bodies(employee) if "is confirmed" in b]
    assert len(confirmed) == 1
    assert english_date in confirmed[0]  # '7 December 2026', not '7. december 2026'
