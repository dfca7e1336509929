"""The e-mail outbox: written with the change, sent after commit, retried with a
growing pause while the mail server is down, never lost."""

from datetime import timedelta

import sqlalchemy as sa

from core.db import db, utcnow
from core.notifications import mailer, services
from core.notifications.models import Notification, OutboxMail


def _mails():
    return db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()


def test_notify_writes_a_notification_and_a_mail(create_user):
    person = create_user()
    services.notify(person, "Emne", "Tekst", link="/tilmeldinger/")
    db.session.commit()
    assert db.session.scalar(sa.select(Notification.subject)) == "Emne"
    (mail,) = _mails()
    assert mail.to_address == person.email
    assert mail.body.endswith("/tilmeldinger/")
    assert mail.sent_at is None


def test_a_rolled_back_change_sends_nothing(create_user):
    person = create_user()
    services.notify(person, "Emne", "Tekst")
    db.session.rollback()
    assert _mails() == []


def test_due_mails_are_sent_with_the_attachment(create_user, smtp):
    person = create_user()
    services.queue_mail(
        person.email, "Invitation", "Se vedhæftet", ics="BEGIN:VCALENDAR"
    )
    db.session.commit()
    assert mailer.send_due() == {"sent": 1, "failed": 0}
    (message,) = smtp.received
    assert message["To"] == person.email
    assert message["Subject"] == "Invitation"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    # iMIP: the invitation is also the text's alternative, which mail clients
    # show as an invitation to accept rather than as a file.
    inline = message.get_body(preferencelist=("calendar",))
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_content() == "BEGIN:VCALENDAR"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == (
        "Se vedhæftet"
    )
    assert _mails()[0].sent_at is not None
    assert mailer.send_due() == {"sent": 0, "failed": 0}  # never twice


def test_mail_waits_while_the_server_is_down_and_goes_later(
    app, create_user, smtp_down, monkeypatch
):
    person = create_user()
    services.queue_mail(person.email, "Emne", "Tekst")
    db.session.commit()
    now = utcnow()
    assert mailer.send_due(now) == {"sent": 0, "failed": 1}
    (mail,) = _mails()
    assert mail.attempts == 1
    assert mail.sent_at is None
    assert mail.last_error
    assert mail.next_attempt_at == now + timedelta(minutes=1)
    assert mailer.send_due(now + timedelta(seconds=30)) == {"sent": 0, "failed": 0}
    mailer.send_due(now + timedelta(minutes=2))
    assert _mails()[0].next_attempt_at == now + timedelta(minutes=4)
    from tests.core.notifications.smtp_server import SMTPServer

    with SMTPServer() as server:
        monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
        assert mailer.send_due(now + timedelta(hours=1)) == {"sent": 1, "failed": 0}
    assert len(server.received) == 1


def test_retry_pause_grows_and_is_capped():
    pauses = [mailer.retry_pause(n) for n in (1, 2, 3, 10, 50)]
    assert pauses[:3] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert pauses[-1] == timedelta(hours=6)


def test_without_smtp_settings_mail_stays_in_the_outbox(app, create_user):
    person = create_user()
    services.notify(person, "Emne")
    db.session.commit()
    assert mailer.send_due() == {"sent": 0, "failed": 0}
    result = app.test_cli_runner().invoke(args=["notifications", "send-mail"])
    assert "SMTP_HOST" in result.output
    assert _mails()[0].sent_at is None


def test_send_mail_command_sends_what_is_due(app, create_user, smtp):
    services.notify(create_user(), "Emne")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send-mail"])
    assert result.exit_code == 0
    assert "Sent 1" in result.output
    assert len(smtp.received) == 1


def test_a_mail_links_to_the_address_the_app_was_reached_at(
    app, create_user, monkeypatch
):
    person = create_user()
    monkeypatch.setitem(app.config, "BASE_URL", "")
    with app.test_request_context(
        "/", method="POST", base_url="https://kompetence.jobcenter.dk"
    ):
        app.preprocess_request()  # the request hooks note the address reached
        services.notify(person, "Emne", "Tekst", link="/tilmeldinger/")
    db.session.commit()
    (mail,) = _mails()
    assert mail.body.endswith("https://kompetence.jobcenter.dk/tilmeldinger/")
    assert ":5000" not in mail.body


def test_a_set_base_url_wins_over_the_address_reached(app, create_user, monkeypatch):
    person = create_user()
    monkeypatch.setitem(app.config, "BASE_URL", "https://kurser.example.dk/")
    with app.test_request_context("/", method="POST", base_url="http://10.0.0.7:8000"):
        app.preprocess_request()
        services.notify(person, "Emne", "Tekst", link="/tilmeldinger/")
    db.session.commit()
    (mail,) = _mails()
    assert mail.body.endswith("\nhttps://kurser.example.dk/tilmeldinger/")
