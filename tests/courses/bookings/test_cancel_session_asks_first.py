"""Cancelling a session asks first and needs a reason (issue 15): "Aflys hold"
opens a page (or, with JavaScript, a dialog) that says who is told; the reason
goes to every participant in the cancellation notice, and without one nothing
changes."""

import pytest
import sqlalchemy as sa

from core.db import db
from core.notifications.models import Notification, OutboxMail
from courses.bookings import services
from courses.bookings.models import BookingStatus
from courses.catalogue.models import ProviderMember
from courses.sessions.models import CourseSession, SessionStatus

S = BookingStatus


@pytest.fixture
def booked(make_session, make_employee, login_as):
    """A session of the signed-in provider's, one seat taken and one waiting."""
    cs = make_session(capacity=1)
    holder = services.book(make_employee(), cs)
    waiting = services.book(make_employee(), cs)
    staff = login_as("provider_staff")
    db.session.add(ProviderMember(provider_id=cs.course.provider_id, user=staff))
    db.session.commit()
    return cs, holder, waiting


def _unchanged(cs, holder, waiting) -> None:
    db.session.expire_all()
    assert db.session.get(CourseSession, cs.id).status is SessionStatus.open
    assert holder.status is S.confirmed
    assert waiting.status is S.waitlisted
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 2


def test_the_session_page_asks_first_and_the_page_changes_nothing(client, booked):
    cs, holder, waiting = booked
    detail = client.get(f"/hold/{cs.id}").text
    assert f'href="/hold/{cs.id}/aflys" data-confirm="cancel-session"' in detail
    assert 'id="cancel-session" aria-hidden="true" role="dialog"' in detail

    page = client.get(f"/hold/{cs.id}/aflys")
    assert page.status_code == 200
    assert "<h1>Vil du aflyse holdet?</h1>" in page.text
    assert "1 deltager har en plads." in page.text
    assert "alle tilmeldte får din begrundelse" in page.text
    assert 'for="reason">Begrundelse (sendes til deltagerne)' in page.text
    _unchanged(cs, holder, waiting)


@pytest.mark.parametrize("reason", [None, "", "   ", "\x01"])
def test_without_a_reason_nothing_is_cancelled(client, booked, reason):
    cs, holder, waiting = booked
    data = {} if reason is None else {"reason": reason}
    response = client.post(f"/hold/{cs.id}/aflys", data=data)
    assert response.status_code == 400
    assert "Skriv begrundelsen for aflysningen: deltagerne får den." in response.text
    _unchanged(cs, holder, waiting)


def test_the_reason_reaches_every_participant(client, booked):
    cs, holder, waiting = booked
    response = client.post(
        f"/hold/{cs.id}/aflys", data={"reason": "  Underviseren er syg  "}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert holder.status is S.cancelled
    assert waiting.status is S.cancelled
    for person in (holder.user, waiting.user):
        notice = db.session.scalar(
            sa.select(Notification)
            .where(Notification.user_id == person.id)
            .order_by(Notification.id.desc())
        )
        assert "Kursusudbyderen har aflyst holdet: Underviseren er syg" in notice.body
        mail = db.session.scalar(
            sa.select(OutboxMail)
            .where(OutboxMail.to_address == person.email)
            .order_by(OutboxMail.id.desc())
        )
        assert "Underviseren er syg" in mail.body


def test_cancelling_a_day_asks_first(client, make_session, login_as):
    cs = make_session(days=2)
    staff = login_as("provider_staff")
    db.session.add(ProviderMember(provider_id=cs.course.provider_id, user=staff))
    db.session.commit()
    first = cs.meetings[0]
    page = client.get(f"/kursusdage/{first.id}/aflys")
    assert page.status_code == 200
    assert "Vil du aflyse kursusdagen?" in page.text
    assert "Holdet beholder sine andre dage." in page.text
    db.session.expire_all()
    assert not db.session.get(type(first), first.id).cancelled
    assert client.post(f"/kursusdage/{first.id}/aflys").status_code == 302
    db.session.expire_all()
    assert db.session.get(type(first), first.id).cancelled
    # The last day left cannot go alone: the page says to cancel the session.
    last = cs.meetings[1]
    text = client.get(f"/kursusdage/{last.id}/aflys").text
    assert "Aflys i stedet hele holdet." in text
    assert client.post(f"/kursusdage/{last.id}/aflys").status_code == 400
    db.session.expire_all()
    assert not db.session.get(type(last), last.id).cancelled
