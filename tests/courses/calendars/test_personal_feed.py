"""The personal feed by token, the calendar page, booking files and invitations."""

import pytest
from icalendar import Calendar

from core.db import db
from courses.bookings.models import BookingStatus
from courses.calendars import services
from courses.calendars.models import CalendarToken
from courses.sessions import services as sessions
from tests.courses.calendars.conftest import events_of

ROLES = ["employee", "manager", "coordinator", "provider_staff", "admin"]


def token_of(user) -> str:
    return db.session.scalar(
        db.select(CalendarToken.secret).where(CalendarToken.user_id == user.id)
    )


def personal_url(secret: str) -> str:
    return f"/kalender/personlig/{secret}.ics"


@pytest.mark.parametrize("role", ROLES)
def test_calendar_page_for_every_role(client, login_as, role):
    login_as(role)
    response = client.get("/kalender/")
    assert response.status_code == 200
    assert "Min kalender" in response.text


def test_calendar_page_needs_login(client, app):
    response = client.get("/kalender/")
    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]
    assert client.post("/kalender/link").status_code == 302


def test_making_a_link_shows_webcal_and_https(client, login_as):
    user = login_as("employee")

    response = client.post("/kalender/link", follow_redirects=True)

    secret = token_of(user)
    assert len(secret or "") >= 40
    assert f"webcal://localhost/kalender/personlig/{secret}.ics" in response.text
    assert f"http://localhost/kalender/personlig/{secret}.ics" in response.text
    assert 'rel="alternate" type="text/calendar"' in response.text


def test_feed_by_token_needs_no_login(client, login_as, make_session, make_booking):
    user = login_as("employee")
    client.post("/kalender/link")
    confirmed = make_session(days=(30, 31))
    offered = make_session(days=(40,))
    waiting = make_session(days=(50,))
    make_booking(user, confirmed, BookingStatus.confirmed)
    make_booking(user, offered, BookingStatus.offered)
    make_booking(user, waiting, BookingStatus.waitlisted)
    calendar_program = client.application.test_client()  # no cookies, no login

    response = calendar_program.get(personal_url(token_of(user)))

    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private") or (
        "private" in response.headers["Cache-Control"]
    )
    events = events_of(response.data)
    uid = services.person_meeting_uid
    assert set(events) == {
        uid(m.id, user.id) for m in confirmed.meetings + offered.meetings
    }
    assert str(events[uid(confirmed.meetings[0].id, user.id)]["STATUS"]) == "CONFIRMED"
    assert str(events[uid(offered.meetings[0].id, user.id)]["STATUS"]) == "TENTATIVE"
    found = Calendar.from_ical(response.data)
    assert "Mine kurser" in str(found["X-WR-CALNAME"])
    assert str(found["COLOR"]) == "royalblue"  # RFC 7986


def test_regenerating_makes_the_old_url_404(client, login_as):
    user = login_as("employee")
    client.post("/kalender/link")
    old = token_of(user)
    assert client.get(personal_url(old)).status_code == 200

    client.post("/kalender/link")
    new = token_of(user)

    assert new != old
    assert client.get(personal_url(old)).status_code == 404
    assert client.get(personal_url(new)).status_code == 200


def test_revoking_makes_the_url_404(client, login_as):
    user = login_as("employee")
    client.post("/kalender/link")
    secret = token_of(user)

    response = client.post("/kalender/link/slet", follow_redirects=True)

    assert "slettet" in response.text
    assert client.get(personal_url(secret)).status_code == 404
    assert client.get(personal_url("not-a-token")).status_code == 404


def test_personal_feed_304_and_bounded_queries(
    client, login_as, count_queries, make_session, make_booking
):
    user = login_as("employee")
    client.post("/kalender/link")
    url = personal_url(token_of(user))
    reader = client.application.test_client()
    make_booking(user, make_session(days=(30,)))
    with count_queries() as small:
        first = reader.get(url)
    for offset in range(0, 30, 3):
        make_booking(user, make_session(days=(40 + offset, 41 + offset)))
    with count_queries() as large:
        second = reader.get(url)
    with count_queries() as cached:
        again = reader.get(url, headers={"If-None-Match": second.headers["ETag"]})

    assert first.headers["ETag"] != second.headers["ETag"]
    assert len(small) == len(large) == 2
    assert again.status_code == 304
    assert len(cached) == 0  # the state read moments ago confirms the copy


def test_cancelled_session_stays_in_personal_feed(
    client, login_as, make_session, make_booking
):
    user = login_as("employee")
    client.post("/kalender/link")
    course_session = make_session(days=(30,))
    booking = make_booking(user, course_session)
    url = personal_url(token_of(user))
    uid = services.person_meeting_uid(course_session.meetings[0].id, user.id)
    before = events_of(client.get(url).data)[uid]

    sessions.cancel_session(None, course_session, reason="Underviseren er syg")
    db.session.commit()
    after = events_of(client.get(url).data)[uid]

    assert db.session.get(type(booking), booking.id).status is BookingStatus.cancelled
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("admin", 200), ("employee", 403), ("provider_staff", 403)],
)
def test_booking_file_access(
    client, login_as, create_user, make_session, make_booking, who, status
):
    owner = create_user("employee")
    booking = make_booking(owner, make_session(days=(30,)))
    login_as(owner if who == "owner" else who)

    response = client.get(f"/kalender/tilmelding/{booking.id}.ics")

    assert response.status_code == status
    if status == 200:
        uid = services.person_meeting_uid(
            booking.course_session.meetings[0].id, owner.id
        )
        assert set(events_of(response.data)) == {uid}


def test_booking_file_needs_login(client, create_user, make_session, make_booking):
    booking = make_booking(create_user("employee"), make_session(days=(30,)))
    response = client.get(f"/kalender/tilmelding/{booking.id}.ics")
    assert response.status_code == 302


def only_event(ics: bytes):
    """The one VEVENT of an iTIP message, and the message's METHOD."""
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def test_invitations_share_the_feed_uid_and_cancel_raises_sequence(
    client, login_as, make_session, make_booking
):
    user = login_as("employee")
    client.post("/kalender/link")
    course_session = make_session(days=(30,))
    booking = make_booking(user, course_session)
    feed = events_of(client.get(personal_url(token_of(user))).data)

    (request,) = services.invitations(booking)
    booking.status = BookingStatus.cancelled
    db.session.commit()
    (cancel,) = services.invitations(booking)

    (uid,) = feed
    method, invited = only_event(request.ics)
    assert (method, request.method, str(invited["UID"])) == ("REQUEST",) * 2 + (uid,)
    method, cancelled = only_event(cancel.ics)
    assert (method, cancel.method, str(cancelled["UID"])) == ("CANCEL",) * 2 + (uid,)
    assert invited["SEQUENCE"] == feed[uid]["SEQUENCE"]
    assert cancelled["SEQUENCE"] > invited["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "mailto:" + user.email in str(invited["ATTENDEE"])


def test_a_multi_day_booking_gets_one_message_per_day_and_a_cancel_for_a_lost_day(
    client, login_as, make_session, make_booking
):
    user = login_as("employee")
    client.post("/kalender/link")
    course_session = make_session(days=(30, 31, 32))
    booking = make_booking(user, course_session)
    sessions.cancel_meeting(None, course_session.meetings[1])
    db.session.commit()
    feed = events_of(client.get(personal_url(token_of(user))).data)

    found = services.invitations(booking)

    # RFC 5546: one UID per REQUEST or CANCEL; clients act on one event only.
    assert [i.method for i in found] == ["REQUEST", "CANCEL", "REQUEST"]
    assert [i.starts_at for i in found] == sorted(i.starts_at for i in found)
    uids = [str(only_event(i.ics)[1]["UID"]) for i in found]
    assert sorted(uids) == sorted(feed)
    assert len(set(uids)) == 3


def test_rebooking_after_a_cancel_gets_a_higher_sequence(
    make_session, make_booking, create_user
):
    user = create_user("employee")
    course_session = make_session(days=(30,))
    first = make_booking(user, course_session)
    first.status = BookingStatus.cancelled
    db.session.commit()
    (cancel,) = services.invitations(first)
    again = make_booking(user, course_session)

    (request,) = services.invitations(again)

    assert (
        only_event(request.ics)[1]["SEQUENCE"] > only_event(cancel.ics)[1]["SEQUENCE"]
    )


@pytest.mark.parametrize(
    "status",
    [BookingStatus.requested, BookingStatus.waitlisted, BookingStatus.offered],
)
def test_bookings_without_a_seat_get_no_invitation(
    make_session, make_booking, create_user, status
):
    booking = make_booking(create_user("employee"), make_session(days=(30,)), status)
    assert services.invitations(booking) == []


def test_a_session_without_meetings_gives_no_invitation(
    make_session, make_booking, create_user
):
    course_session = make_session(days=(30,))
    for meeting in list(course_session.meetings):
        db.session.delete(meeting)
    db.session.commit()
    booking = make_booking(create_user("employee"), course_session)
    assert services.invitations(booking) == []
