"""Booking from the course page, "Mine tilmeldinger", and bad input: Danish
messages, 4xx, nothing changed."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.db import db, utcnow
from core.notifications.models import OutboxMail
from core.people.models import User
from core.templating import long_date
from courses.bookings import services
from courses.bookings.models import Booking, BookingStatus
from courses.bookings.views import pass_on_due_offers_before_acting
from courses.sessions.models import CourseSession, SessionStatus

S = BookingStatus


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Booking.id)))


def test_book_from_the_course_page(client, login_as, make_session):
    cs = make_session(capacity=3)
    person = login_as("employee")
    page = client.get(f"/kurser/{cs.course_id}").get_data(as_text=True)
    assert "Tilmeld mig" in page
    response = client.post(
        f"/hold/{cs.id}/tilmeld", data={"expect": "seat"}, follow_redirects=True
    )
    text = response.get_data(as_text=True)
    assert "Du er tilmeldt" in text
    assert "Mine tilmeldinger" in text
    booking = db.session.scalar(sa.select(Booking))
    assert booking.user_id == person.id
    assert booking.status is S.confirmed
    page = client.get(f"/kurser/{cs.course_id}").get_data(as_text=True)
    assert "Din tilmelding:" in page
    assert "bekræftet" in page


def test_the_confirmation_mail_carries_the_invitation(client, login_as, make_session):
    cs = make_session()
    login_as("employee")
    client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    mail = db.session.scalar(sa.select(OutboxMail))
    assert mail.ics_method == "REQUEST"
    assert "METHOD:REQUEST" in mail.ics
    assert cs.course.title in mail.ics


def test_each_course_day_gets_its_own_invitation_mail(client, login_as, make_session):
    """A calendar acts on one event per iTIP message (RFC 5546; Apple ignores
    multi-date requests), so a three-day course sends three invitations."""
    cs = make_session(days=3)
    person = login_as("employee")
    client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    booking = db.session.scalar(sa.select(Booking))

    booked = db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()
    client.post(f"/tilmeldinger/{booking.id}/afmeld")
    cancelled = db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.id > booked[-1].id)
    ).all()

    assert [m.ics_method for m in booked] == ["REQUEST"] * 3
    assert booked[0].subject.startswith("Du er tilmeldt:")
    assert [m.subject for m in booked[1:]] == [
        f"Kalender: {cs.course.title}, {long_date(m.starts_at)}"
        for m in cs.meetings[1:]
    ]
    for mail in booked + cancelled:
        assert mail.to_address == person.email
        assert mail.ics.count("BEGIN:VEVENT") == 1
    uids = {line for m in booked for line in m.ics.split("\r\n") if line[:4] == "UID:"}
    assert len(uids) == 3
    assert [m.ics_method for m in cancelled] == ["CANCEL"] * 3
    assert {
        line for m in cancelled for line in m.ics.split("\r\n") if line[:4] == "UID:"
    } == uids


def test_double_click_creates_one_booking(client, login_as, make_session):
    cs = make_session()
    login_as("employee")
    first = client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    second = client.post(
        f"/hold/{cs.id}/tilmeld", data={"expect": "seat"}, follow_redirects=True
    )
    assert first.status_code == 302
    assert "Du har allerede en tilmelding" in second.get_data(as_text=True)
    assert _count() == 1
    db.session.refresh(cs)
    assert cs.seats_taken == 1


def test_a_stale_page_after_the_session_filled(
    client, login_as, make_session, create_user
):
    cs = make_session(capacity=1)
    services.book(create_user(), cs)
    db.session.commit()
    login_as("employee")
    response = client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Holdet blev fuldt, mens du så på siden" in text
    assert "Skriv mig på ventelisten" in text
    assert _count() == 1
    response = client.post(
        f"/hold/{cs.id}/tilmeld", data={"expect": "waitlist"}, follow_redirects=True
    )
    assert "nummer 1 på ventelisten" in response.get_data(as_text=True)


def test_cancelled_and_past_sessions_are_refused(client, login_as, make_session):
    cancelled = make_session(status=SessionStatus.cancelled)
    past = make_session(start=utcnow() - timedelta(days=1))
    login_as("employee")
    response = client.post(f"/hold/{cancelled.id}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 409
    assert "Holdet er aflyst" in response.get_data(as_text=True)
    response = client.post(f"/hold/{past.id}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 409
    assert "Holdet er allerede begyndt" in response.get_data(as_text=True)
    assert _count() == 0


def test_unknown_ids_and_bad_forms(client, login_as, make_session):
    cs = make_session()
    login_as("employee")
    assert (
        client.post("/hold/999999/tilmeld", data={"expect": "seat"}).status_code == 404
    )
    assert client.post("/tilmeldinger/999999/afmeld").status_code == 404
    response = client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "alt"})
    assert response.status_code == 400
    assert "Formularen var ufuldstændig" in response.get_data(as_text=True)
    assert _count() == 0


def test_someone_elses_booking_cannot_be_touched(
    client, login_as, make_session, create_user
):
    booking = services.book(create_user(), make_session())
    db.session.commit()
    login_as("employee")
    for action in ("afmeld", "accepter", "afslaa"):
        assert client.post(f"/tilmeldinger/{booking.id}/{action}").status_code == 403
    db.session.refresh(booking)
    assert booking.status is S.confirmed


def test_my_bookings_groups_offers_waiting_upcoming_history(
    client, login_as, make_session, create_user
):
    person = login_as("employee")
    full = make_session(capacity=1, title="Fuldt kursus")
    holder_booking = services.book(create_user(), full)
    waiting = services.book(person, full)
    upcoming = make_session(
        start=utcnow() + timedelta(days=60), title="Kommende kursus"
    )
    services.book(person, upcoming)
    offered_cs = make_session(
        capacity=1, start=utcnow() + timedelta(days=90), title="Tilbudt kursus"
    )
    other = services.book(create_user(), offered_cs)
    offer = services.book(person, offered_cs)
    services.cancel(other.user, other)
    db.session.commit()
    assert offer.status is S.offered
    text = client.get("/tilmeldinger/").get_data(as_text=True)
    assert "Pladser, du får tilbudt" in text
    assert "Tilbudt kursus" in text
    assert "Pladsen er holdt til dig indtil" in text
    assert "Nummer 1 på ventelisten." in text
    assert "Kommende kursus" in text
    response = client.post(f"/tilmeldinger/{offer.id}/accepter", follow_redirects=True)
    assert "Tilmeldingen er nu bekræftet" in response.get_data(as_text=True)
    db.session.refresh(offer)
    assert offer.status is S.confirmed
    assert waiting.status is S.waitlisted
    assert holder_booking.status is S.confirmed


def test_cancel_from_my_bookings_and_replay(client, login_as, make_session):
    person = login_as("employee")
    booking = services.book(person, make_session())
    db.session.commit()
    client.post(f"/tilmeldinger/{booking.id}/afmeld")
    again = client.post(f"/tilmeldinger/{booking.id}/afmeld", follow_redirects=True)
    assert "Det er allerede sket" in again.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status is S.cancelled


def _dump() -> tuple[list, list]:
    """Every booking and session row, to compare before and after pages are read."""
    db.session.expire_all()
    return (
        [tuple(r) for r in db.session.execute(sa.select(Booking.__table__))],
        [tuple(r) for r in db.session.execute(sa.select(CourseSession.__table__))],
    )


def _lapsed_offer_and_a_free_seat(make_session, create_user, person):
    """An offer to `first` past its deadline with `person` next in line, and a
    session whose capacity was raised behind the bookings' back with `waiting` in
    its queue."""
    cs = make_session(capacity=1)
    holder = services.book(create_user(), cs)
    first = services.book(create_user(), cs)
    mine = services.book(person, cs)
    services.cancel(holder.user, holder)
    first.offer_expires_at = utcnow() - timedelta(minutes=1)
    other = make_session(capacity=1)
    services.book(create_user(), other)
    waiting = services.book(create_user(), other)
    other.capacity = 2  # not through the sessions service: no signal
    db.session.commit()
    return cs, first, mine, waiting


def test_pages_write_nothing_and_show_a_lapsed_offer_as_lapsed(
    client, login_as, make_session, create_user
):
    cs, first, mine, waiting = _lapsed_offer_and_a_free_seat(
        make_session, create_user, create_user()
    )
    before = _dump()
    login_as(first.user)
    page = client.get("/tilmeldinger/").get_data(as_text=True)
    assert "Tilbuddet udløb, før det blev taget imod." in page
    assert f"/tilmeldinger/{first.id}/accepter" not in page
    course_page = client.get(f"/kurser/{cs.course_id}").get_data(as_text=True)
    assert "Tilbuddet udløb, før det blev taget imod." in course_page
    login_as("admin")
    for path in (
        f"/hold/{cs.id}/deltagerliste",
        f"/hold/{cs.id}",
        f"/hold/{cs.id}/deltagere.csv",
        "/tilmeldinger/godkendelser",
        "/tilmeldinger/",
        f"/kurser/{cs.course_id}",
    ):
        assert client.get(path).status_code == 200, path
    assert _dump() == before
    assert (first.status, mine.status, waiting.status) == (S.offered,) + (
        S.waitlisted,
    ) * 2


def test_accepting_a_lapsed_offer_is_refused_and_the_seat_passes_on(
    client, login_as, make_session, create_user
):
    _cs, first, mine, waiting = _lapsed_offer_and_a_free_seat(
        make_session, create_user, create_user()
    )
    login_as(first.user)
    response = client.post(f"/tilmeldinger/{first.id}/accepter")
    assert response.status_code == 409
    assert "Tilbuddet udløb, før det blev taget imod." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert first.status is S.cancelled
    assert mine.status is S.offered  # the next in line, when a POST touched it
    assert waiting.status is S.offered  # and every free seat with a queue


def test_a_page_may_not_call_the_write_hook(app):
    with app.test_request_context("/tilmeldinger/"), pytest.raises(RuntimeError):
        pass_on_due_offers_before_acting()


def test_expire_offers_command(app, make_session, create_user):
    cs = make_session(capacity=1)
    holder = services.book(create_user(), cs)
    waiting = services.book(create_user(), cs)
    services.cancel(holder.user, holder)
    waiting.offer_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "expire-offers"])
    assert "1 offer(s) lapsed" in result.output
    db.session.refresh(waiting)
    assert waiting.status is S.cancelled


def test_my_bookings_queries_do_not_grow(client, login_as, make_session, count_queries):
    person = login_as("employee")
    services.book(person, make_session(start=utcnow() + timedelta(days=40)))
    full = make_session(capacity=0, start=utcnow() + timedelta(days=44))
    services.book(person, full)  # one of each kind, so both pages run every query
    db.session.commit()
    with count_queries() as few:
        client.get("/tilmeldinger/")
    for n in range(8):
        cs = make_session(capacity=1, start=utcnow() + timedelta(days=50 + 2 * n))
        if n % 2:
            services.book(person, cs)
        else:
            services.book(services_user(cs), cs)
            services.book(person, cs)
    db.session.commit()
    with count_queries() as many:
        client.get("/tilmeldinger/")
    assert len(few) == len(many)


def services_user(cs):
    from core.people import services as people

    user = people.create_user(None, email=f"fill{cs.id}@jobcenter.demo.dk", name="Fyld")
    db.session.commit()
    return user


def test_dashboard_panel_counts_offers_and_requests_to_decide(
    client, login_as, manager, employee, make_employee, make_session
):
    cs = make_session(capacity=1)
    holder = services.book(make_employee(), cs)
    services.book(employee, cs)
    services.cancel(holder.user, holder)
    services.book(make_employee(), make_session(price=100))
    db.session.commit()
    login_as(employee)
    assert "1 plads er tilbudt dig." in client.get("/").get_data(as_text=True)
    login_as(manager)
    text = client.get("/").get_data(as_text=True)
    assert "1 tilmelding afventer din godkendelse." in text


def test_the_course_page_says_when_booking_is_closed(client, login_as, make_session):
    cs = make_session(booking_deadline=utcnow() - timedelta(hours=1))
    login_as("employee")
    text = client.get(f"/kurser/{cs.course_id}").get_data(as_text=True)
    assert "Tilmeldingen til holdet er lukket." in text
    assert "Tilmeld mig" not in text


def test_the_course_page_costs_the_same_with_more_sessions(
    client, login_as, make_course, make_session, create_user, count_queries
):
    person = login_as("employee")
    course = make_course()

    def add_full_session(days: int):
        cs = make_session(course, capacity=1, start=utcnow() + timedelta(days=days))
        services.book(create_user(), cs)
        services.book(person, cs)
        db.session.commit()

    add_full_session(20)
    with count_queries() as few:
        client.get(f"/kurser/{course.id}")
    for days in (24, 28, 32):
        add_full_session(days)
    with count_queries() as many:
        text = client.get(f"/kurser/{course.id}").get_data(as_text=True)
    assert text.count("nummer 1 på ventelisten") == 4
    assert len(few) == len(many)


def test_booking_reads_each_thing_once(client, login_as, make_session, count_queries):
    """The booking POST reads the session with its course, the course's
    prerequisites, its provider and its meetings in one statement and the
    person's booking of it once (17 statements before, 13 with the meetings
    apart, issue 19): the rules, the seat, the audit and the notices each keep
    their own."""
    cs = make_session()
    login_as("employee")
    with count_queries() as statements:
        response = client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Booking.status)) is S.confirmed
    reads = [" ".join(s.split()) for s in statements]
    assert not any(s.startswith("SELECT courses.") for s in reads)
    assert not any(s.startswith("SELECT providers.") for s in reads)
    person_booking = "FROM bookings WHERE bookings.user_id = "
    assert sum(person_booking in s for s in reads) == 1
    the_sessions_meetings = "SELECT meetings.course_session_id, meetings.starts_at"
    assert not any(s.startswith(the_sessions_meetings) for s in reads)
    assert len(statements) <= 12


def test_booking_without_the_prerequisites_is_refused(
    client, login_as, make_course, make_session
):
    """The prerequisites come with the session's statement now: still checked."""
    first = make_course(title="Grundkursus i samtaler")
    cs = make_session(prerequisites=[first])
    login_as("employee")
    response = client.post(f"/hold/{cs.id}/tilmeld", data={"expect": "seat"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Grundkursus i samtaler" in text
    assert _count() == 0
    db.session.refresh(cs)
    assert cs.seats_taken == 0


def test_the_course_page_tells_each_waiting_person_their_own_place(
    client, login_as, make_session, create_user
):
    # The course page reads the place with the person's bookings (issue 19):
    # two are ahead of the person, one of them on another session's list.
    cs = make_session(capacity=1)
    other = make_session(course=cs.course, capacity=1)
    services.book(create_user(), cs)
    services.book(create_user(), other)
    for _ in range(2):
        services.book(create_user(), cs)
    services.book(create_user(), other)
    db.session.commit()
    person = login_as("employee")
    services.book(person, cs)
    db.session.commit()
    page = client.get(f"/kurser/{cs.course_id}").get_data(as_text=True)
    assert "nummer 3 på ventelisten" in page
    # The first in the queue gets the seat: the person moves up.
    ahead = db.session.scalars(
        sa.select(Booking)
        .where(Booking.course_session_id == cs.id, Booking.status == S.waitlisted)
        .order_by(Booking.queue_number)
    ).first()
    services.cancel(db.session.get(User, ahead.user_id), ahead)
    db.session.commit()
    page = client.get(f"/kurser/{cs.course_id}").get_data(as_text=True)
    assert "nummer 2 på ventelisten" in page
