"""A colleague's job shadowing or peer session: published through the form as a
free course session, booked through the booking life cycle (waiting list and
approval included), completed by the learner's reflection and the host's sign-off."""

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db
from core.notifications.models import Notification
from courses import signals
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course, Provider
from courses.sessions.models import CourseSession, SessionStatus
from learning.internal.models import InternalOffer, OfferCompletion
from learning.matching.models import CourseCompetence, Evidence
from tests.learning.matching.internal_helpers import begin, make_offer, working_day

S = BookingStatus


@pytest.fixture
def host(create_user, team, small_framework):
    return create_user("employee", team=team, name="Birgitte Lund")


@pytest.fixture
def offer(host, small_framework):
    return make_offer(host, small_framework.by_code("S-VK1"))


def _form(small_framework, **overrides):
    day = working_day(20)
    data = {
        "kind": "peer_session",
        "title": "Sparring om virksomhedsbesøg",
        "description": "Vi gennemgår egne besøg.",
        "competences": [str(small_framework.by_code("S-VK1").id)],
        "capacity": "4",
        "day_1": day.isoformat(),
        "start": "13:00",
        "end": "15:00",
        "location": "Mødelokale 3",
    }
    data.update(overrides)
    return data


def test_a_colleague_publishes_an_offer_as_a_free_session(
    client, login_as, host, small_framework, team
):
    login_as(host)
    response = client.post("/intern-laering/ny", data=_form(small_framework))
    assert response.status_code == 302
    offer = db.session.scalar(sa.select(InternalOffer))
    cs = offer.course_session
    assert offer.host_id == host.id
    assert offer.jobcentre_id == team.parent_id
    assert cs.capacity == 4
    assert len(cs.meetings) == 1
    assert cs.course.price_municipal == 0
    assert cs.course.price_state == 0
    assert cs.course.provider.name == f"Intern læring – {team.parent.name}"
    links = db.session.scalars(sa.select(CourseCompetence)).all()
    assert [(link.course_id, link.level) for link in links] == [(cs.course_id, 3)]
    page = client.get(response.headers["Location"])
    assert "Sparring om virksomhedsbesøg" in page.get_data(as_text=True)
    listing = client.get("/intern-laering").get_data(as_text=True)
    assert "Sparring om virksomhedsbesøg" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capacity": "0"}, "Skriv et helt tal fra 1 til 500."),
        ({"capacity": "mange"}, "Skriv et helt tal fra 1 til 500."),
        ({"competences": []}, "Feltet skal udfyldes."),
        ({"end": "12:00"}, "en dag slutter, før den begynder"),
        ({"title": ""}, "Feltet skal udfyldes."),
    ],
)
def test_bad_offers_are_refused_in_danish_and_nothing_is_written(
    client, login_as, host, small_framework, overrides, message
):
    login_as(host)
    response = client.post(
        "/intern-laering/ny", data=_form(small_framework, **overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    for model in (InternalOffer, Course, CourseSession, Provider):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_a_day_in_the_past_is_refused(client, login_as, host, small_framework):
    login_as(host)
    response = client.post(
        "/intern-laering/ny",
        data=_form(small_framework, day_1=working_day(-40).isoformat()),
    )
    assert response.status_code == 400
    assert "Dagene skal ligge i fremtiden." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


@pytest.mark.parametrize(
    "path", ["/intern-laering", "/intern-laering/ny", "/forslag/kolleger"]
)
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]


def test_people_without_a_team_have_no_internal_learning(client, login_as):
    login_as("provider_staff")
    assert client.get("/intern-laering").status_code == 403
    assert client.get("/intern-laering/ny").status_code == 403


def test_the_whole_life_cycle_ends_in_a_completed_booking(
    client, login_as, consultant, host, offer, small_framework
):
    cs_id = offer.course_session_id
    login_as(consultant)
    booked = client.post(f"/hold/{cs_id}/tilmeld", data={"expect": "seat"})
    assert booked.status_code == 302
    booking = db.session.scalar(sa.select(Booking))
    assert booking.status is S.confirmed
    assert booking.price == 0

    early = client.post(
        f"/intern-laering/tilmelding/{booking.id}/refleksion",
        data={"reflection": "Jeg lærte at spørge åbent."},
    )
    assert early.status_code == 409
    assert "når forløbet er begyndt" in early.get_data(as_text=True)

    begin(offer)
    saved = client.post(
        f"/intern-laering/tilmelding/{booking.id}/refleksion",
        data={"reflection": "Jeg lærte at spørge åbent til virksomhedens behov."},
    )
    assert saved.status_code == 302
    told = db.session.scalar(sa.select(Notification).where(Notification.user == host))
    assert told is not None
    assert "Refleksion" in told.subject

    completed = []

    def receive(sender, **kwargs):
        completed.append(sender.id)

    signals.booking_completed.connect(receive)
    try:
        login_as(host)
        page = client.get(f"/intern-laering/{offer.id}").get_data(as_text=True)
        assert "spørge åbent til virksomhedens behov" in page
        signed = client.post(f"/intern-laering/tilmelding/{booking.id}/godkend")
    finally:
        signals.booking_completed.disconnect(receive)
    assert signed.status_code == 302
    db.session.refresh(booking)
    assert booking.status is S.completed
    assert completed == [booking.id]
    completion = db.session.scalar(sa.select(OfferCompletion))
    assert completion.signed_off_by_id == host.id
    evidence = db.session.scalars(sa.select(Evidence)).all()
    assert [(e.person_id, e.competence_id) for e in evidence] == [
        (consultant.id, small_framework.by_code("S-VK1").id)
    ]
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"internal_offer.reflection", "internal_offer.sign_off"} <= actions


def test_the_host_cannot_sign_off_without_the_reflection(
    client, login_as, consultant, host, offer
):
    booking = bookings.book(consultant, offer.course_session)
    db.session.commit()
    begin(offer)
    login_as(host)
    response = client.post(f"/intern-laering/tilmelding/{booking.id}/godkend")
    assert response.status_code == 409
    assert "kort refleksion" in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status is S.confirmed


def test_only_the_host_signs_off_and_only_the_learner_reflects(
    client, login_as, consultant, host, offer, create_user, team
):
    booking = bookings.book(consultant, offer.course_session)
    db.session.commit()
    begin(offer)
    login_as(create_user("employee", team=team))
    assert (
        client.post(
            f"/intern-laering/tilmelding/{booking.id}/refleksion",
            data={"reflection": "En andens refleksion, som ikke er min."},
        ).status_code
        == 403
    )
    assert (
        client.post(f"/intern-laering/tilmelding/{booking.id}/godkend").status_code
        == 403
    )
    assert client.post(f"/intern-laering/{offer.id}/aflys").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(OfferCompletion.id))) == 0


def test_a_too_short_reflection_is_refused(client, login_as, consultant, offer):
    booking = bookings.book(consultant, offer.course_session)
    db.session.commit()
    begin(offer)
    login_as(consultant)
    response = client.post(
        f"/intern-laering/tilmelding/{booking.id}/refleksion",
        data={"reflection": "Godt"},
    )
    assert response.status_code == 400
    assert "mindst 10 og højst 2000 tegn" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OfferCompletion.id))) == 0


def test_a_full_offer_puts_the_next_colleague_on_the_waiting_list(
    host, small_framework, create_user, team
):
    offer = make_offer(host, small_framework.by_code("S-VK1"), capacity=1)
    first = bookings.book(create_user("employee", team=team), offer.course_session)
    second = bookings.book(create_user("employee", team=team), offer.course_session)
    assert first.status is S.confirmed
    assert second.status is S.waitlisted
    bookings.cancel(first.user, first)
    assert second.status is S.offered


def test_an_offer_may_ask_for_the_managers_approval(
    client, login_as, host, small_framework, consultant, create_user, team
):
    manager = create_user("manager", team=team)
    team.manager = manager
    db.session.commit()
    offer = make_offer(host, small_framework.by_code("S-VK1"), needs_approval=True)
    login_as(consultant)
    client.post(f"/hold/{offer.course_session_id}/tilmeld", data={"expect": "request"})
    booking = db.session.scalar(sa.select(Booking))
    assert booking.status is S.requested
    assert booking.approval_reason == "internal_offer"
    bookings.approve(manager, booking)
    assert booking.status is S.confirmed


def test_the_host_calls_the_offer_off_and_bookings_go_with_it(
    client, login_as, host, offer, consultant
):
    booking = bookings.book(consultant, offer.course_session)
    db.session.commit()
    login_as(host)
    path, reason = f"/intern-laering/{offer.id}/aflys", {"reason": "Jeg er syg"}
    assert client.post(path, data=reason).status_code == 302
    db.session.refresh(booking)
    assert booking.status is S.cancelled
    assert offer.course_session.status is SessionStatus.cancelled
    assert client.post(path, data=reason).status_code == 409


def test_calling_an_offer_off_asks_first_and_needs_a_reason(
    client, login_as, host, offer, consultant
):
    booking = bookings.book(consultant, offer.course_session)
    db.session.commit()
    login_as(host)
    detail = client.get(f"/intern-laering/{offer.id}").text
    assert f'href="/intern-laering/{offer.id}/aflys" data-confirm="call-off"' in detail
    page = client.get(f"/intern-laering/{offer.id}/aflys")
    assert page.status_code == 200
    assert "<h1>Vil du aflyse tilbuddet?</h1>" in page.text
    assert "1 deltager har en plads." in page.text

    response = client.post(f"/intern-laering/{offer.id}/aflys", data={"reason": " "})
    assert response.status_code == 400
    assert "Skriv begrundelsen for aflysningen: deltagerne får den." in response.text
    db.session.expire_all()
    assert offer.course_session.status is SessionStatus.open
    assert booking.status is S.confirmed

    client.post(f"/intern-laering/{offer.id}/aflys", data={"reason": "Jeg er syg"})
    notice = db.session.scalar(
        sa.select(Notification)
        .where(Notification.user_id == consultant.id)
        .order_by(Notification.id.desc())
    )
    assert "Kursusudbyderen har aflyst holdet: Jeg er syg" in notice.body


def test_an_unknown_offer_or_booking_is_not_found(client, login_as, consultant):
    login_as(consultant)
    assert client.get("/intern-laering/999999").status_code == 404
    assert client.post("/intern-laering/tilmelding/999999/godkend").status_code == 404


def test_the_host_sees_the_reflections_and_no_booking_form(
    client, login_as, consultant, host, offer
):
    """The host's page lists the participants with their reflections and reads
    no booking checks (it shows the host no booking form); the learner's page
    keeps their saved reflection."""
    cs_id = offer.course_session_id
    login_as(consultant)
    client.post(f"/hold/{cs_id}/tilmeld", data={"expect": "seat"})
    booking = db.session.scalar(sa.select(Booking))
    begin(offer)
    text = "Jeg lærte at lytte til virksomhedens egne ord."
    client.post(
        f"/intern-laering/tilmelding/{booking.id}/refleksion",
        data={"reflection": text},
    )
    mine = client.get(f"/intern-laering/{offer.id}").get_data(as_text=True)
    assert text in mine

    login_as(host)
    page = client.get(f"/intern-laering/{offer.id}").get_data(as_text=True)
    assert text in page
    assert f"Godkend gennemførelse for {consultant.name}" in page
    assert f'action="/hold/{cs_id}/tilmeld"' not in page


def test_an_offers_page_shows_the_approval_and_the_waiting_list(
    client, login_as, host, small_framework, consultant, create_user, team
):
    """The booking form follows the offer's own approval rule; an admin sees
    the waiting list's places, the learner their own."""
    competence = small_framework.by_code("S-VK1")
    asks = make_offer(host, competence, needs_approval=True)
    free = make_offer(host, competence, capacity=1)
    login_as(consultant)
    page = client.get(f"/intern-laering/{asks.id}").text
    assert 'name="expect" value="request"' in page
    page = client.get(f"/intern-laering/{free.id}").text
    assert 'name="expect" value="seat"' in page

    bookings.book(create_user("employee", team=team), free.course_session)
    first = bookings.book(
        create_user("employee", team=team, name="Ane Ø"), free.course_session
    )
    second = bookings.book(consultant, free.course_session)
    db.session.commit()
    assert (first.status, second.status) == (S.waitlisted, S.waitlisted)
    page = client.get(f"/intern-laering/{free.id}").text
    assert "nummer 2 på ventelisten" in page
    login_as(create_user("admin"))
    page = client.get(f"/intern-laering/{free.id}").text
    assert "(nummer 1 på ventelisten)" in page
    assert "(nummer 2 på ventelisten)" in page
