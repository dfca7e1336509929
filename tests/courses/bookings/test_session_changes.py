"""Bookings follow their sessions as the provider changes them through the
sessions service: more seats reach the queue, a move is told, a cancellation
cancels the bookings."""

import sqlalchemy as sa

from core.db import db
from core.notifications.models import Notification, OutboxMail
from courses.bookings import services
from courses.bookings.models import BookingStatus
from courses.sessions import services as sessions

S = BookingStatus


def test_a_capacity_raised_by_the_provider_reaches_the_queue_at_once(
    client, login_as, make_session, create_user
):
    cs = make_session(capacity=1)
    services.book(create_user(), cs)
    person = login_as("employee")
    waiting = services.book(person, cs)
    db.session.commit()
    sessions.update_session(None, cs, capacity=2)
    db.session.commit()
    assert waiting.status is S.offered
    text = client.get("/tilmeldinger/").get_data(as_text=True)
    assert "Pladsen er holdt til dig indtil" in text


def test_the_cron_command_offers_free_seats_too(app, make_session, create_user):
    cs = make_session(capacity=1)
    services.book(create_user(), cs)
    waiting = services.book(create_user(), cs)
    cs.capacity = 2  # raised by another path than the sessions service
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "expire-offers"])
    assert "1 new offer(s) made" in result.output
    db.session.refresh(waiting)
    assert waiting.status is S.offered


def test_a_moved_session_is_told_to_those_holding_a_seat(make_session, create_user):
    cs = make_session()
    person = create_user()
    services.book(person, cs)
    db.session.commit()
    sessions.update_session(None, cs, location="Nyt sted, lokale 4")
    db.session.commit()
    subjects = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == person.id)
    ).all()
    assert any(subject.startswith("Ændret:") for subject in subjects)
    mail = db.session.scalar(
        sa.select(OutboxMail).where(OutboxMail.subject.startswith("Ændret:"))
    )
    assert mail.ics is not None
    assert "METHOD:REQUEST" in mail.ics


def test_a_session_cancelled_by_the_provider_cancels_its_bookings(
    make_session, create_user
):
    cs = make_session(capacity=1)
    holder = services.book(create_user(), cs)
    waiting = services.book(create_user(), cs)
    sessions.cancel_session(None, cs, reason="For få tilmeldte")
    db.session.commit()
    assert holder.status is S.cancelled
    assert waiting.status is S.cancelled
    assert cs.seats_taken == 0
    mail = db.session.scalar(
        sa.select(OutboxMail)
        .where(OutboxMail.to_address == holder.user.email)
        .order_by(OutboxMail.id.desc())
    )
    assert "Kursusudbyderen har aflyst holdet" in mail.body
    assert mail.ics_method == "CANCEL"
