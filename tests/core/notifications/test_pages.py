"""The notifications page, the unread count in the header, and mail sent after the
request that queued it."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.notifications import services
from core.notifications.models import OutboxMail


def test_header_shows_the_unread_count(client, login_as):
    person = login_as("employee")
    for subject in ("Første", "Anden"):
        services.notify(person, subject, link="/tilmeldinger/")
    db.session.commit()
    page = client.get("/notifikationer/").get_data(as_text=True)
    assert "Notifikationer (2" in page
    assert "Første" in page
    assert "Anden" in page


def test_opening_a_notification_marks_it_read_and_follows_the_link(client, login_as):
    person = login_as("employee")
    note = services.notify(person, "Emne", link="/tilmeldinger/")
    db.session.commit()
    response = client.post(f"/notifikationer/{note.id}/laest")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tilmeldinger/")
    db.session.refresh(note)
    assert note.read_at is not None
    assert "Notifikationer (" not in client.get("/notifikationer/").get_data(
        as_text=True
    )


def test_mark_all_read(client, login_as):
    person = login_as("employee")
    services.notify(person, "A")
    services.notify(person, "B")
    db.session.commit()
    client.post("/notifikationer/alle-laest")
    assert services.unread_count(person) == 0


def test_someone_elses_notification_is_not_found(client, login_as, create_user):
    other = create_user()
    note = services.notify(other, "Privat")
    db.session.commit()
    login_as("employee")
    assert client.post(f"/notifikationer/{note.id}/laest").status_code == 404
    assert client.post("/notifikationer/999999/laest").status_code == 404
    db.session.refresh(note)
    assert note.read_at is None


@pytest.mark.parametrize(
    "role", ["employee", "manager", "coordinator", "provider_staff", "admin", None]
)
def test_access(client, login_as, role):
    if role:
        login_as(role)
        assert client.get("/notifikationer/").status_code == 200
    else:
        response = client.get("/notifikationer/")
        assert response.status_code == 302
        assert "/log-ind" in response.headers["Location"]


def test_queries_do_not_grow_with_the_number_of_notifications(
    client, login_as, count_queries
):
    person = login_as("employee")
    services.notify(person, "Én")
    db.session.commit()
    with count_queries() as few:
        client.get("/notifikationer/")
    for n in range(30):
        services.notify(person, f"Nummer {n}")
    db.session.commit()
    with count_queries() as many:
        client.get("/notifikationer/")
    assert len(few) == len(many)


def test_mail_is_sent_after_the_request_that_queued_it(client, login_as, smtp):
    from tests.courses.bookings.factories import make_session

    login_as("employee")
    course_session = make_session()
    response = client.post(
        f"/hold/{course_session.id}/tilmeld", data={"expect": "seat"}
    )
    assert response.status_code == 302
    assert smtp.received == []  # nothing leaves before the response is delivered
    response.close()  # what the WSGI server does once the response is sent
    (message,) = smtp.received
    assert "Du er tilmeldt" in message["Subject"]
    sent = db.session.scalars(sa.select(OutboxMail.sent_at)).all()
    assert len(sent) == 1
    assert sent[0] is not None


def test_booking_goes_through_while_the_mail_server_is_down(
    client, login_as, smtp_down
):
    from courses.bookings.models import Booking, BookingStatus
    from tests.courses.bookings.factories import make_session

    login_as("employee")
    course_session = make_session()
    response = client.post(
        f"/hold/{course_session.id}/tilmeld", data={"expect": "seat"}
    )
    response.close()  # the send after the response fails: the server is down
    assert response.status_code == 302
    booking = db.session.scalar(sa.select(Booking))
    assert booking.status is BookingStatus.confirmed
    (mail,) = db.session.scalars(sa.select(OutboxMail)).all()
    assert mail.sent_at is None
    assert mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
