"""The booking life cycle through the services: states, seats, queue, audit, notices."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.audit import AuditEvent
from core.db import db, utcnow
from core.notifications.models import Notification, OutboxMail
from core.people.models import EmployerKind
from courses import signals
from courses.bookings import services
from courses.bookings.errors import BookingError
from courses.bookings.models import Booking, BookingStatus
from courses.bookings.transitions import TRANSITIONS, Party

S = BookingStatus


def _statuses(cs):
    rows = db.session.scalars(
        sa.select(Booking)
        .where(Booking.course_session_id == cs.id)
        .order_by(Booking.id)
    )
    return [b.status for b in rows]


def test_free_booking_is_confirmed_with_a_seat_audit_and_notice(employee, make_session):
    cs = make_session(capacity=2)
    got = []

    def receive(sender, **kwargs):
        got.append(sender)

    signals.booking_confirmed.connect(receive)
    try:
        booking = services.book(employee, cs)
        db.session.commit()
    finally:
        signals.booking_confirmed.disconnect(receive)
    assert booking.status is S.confirmed
    assert got == [booking]
    db.session.refresh(cs)
    assert cs.seats_taken == 1
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "booking.book")
    )
    assert event.actor_id == employee.id
    assert event.before is None
    assert event.after["status"] == "confirmed"
    note = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == employee.id)
    )
    assert cs.course.title in note.subject
    mail = db.session.scalar(sa.select(OutboxMail))
    assert mail.to_address == employee.email
    assert mail.sent_at is None


def test_booking_twice_returns_the_same_booking(employee, make_session):
    cs = make_session()
    first = services.book(employee, cs)
    again = services.book(employee, cs)
    db.session.commit()
    assert first.id == again.id
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 1
    assert cs.seats_taken == 1


def test_paid_booking_waits_for_approval_without_a_seat(
    employee, manager, make_session
):
    cs = make_session(price=4500)
    booking = services.book(employee, cs)
    assert booking.status is S.requested
    assert booking.needs_approval
    assert cs.seats_taken == 0
    manager_notes = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == manager.id)
    ).all()
    assert len(manager_notes) == 1
    assert employee.name in manager_notes[0].subject
    services.approve(manager, booking, comment="God idé")
    db.session.commit()
    assert booking.status is S.confirmed
    assert booking.decided_by_id == manager.id
    assert cs.seats_taken == 1


def test_approval_of_a_full_session_goes_to_the_waiting_list(
    employee, make_employee, manager, make_session
):
    cs = make_session(price=100, capacity=1)
    first, second = services.book(employee, cs), services.book(make_employee(), cs)
    services.approve(manager, first)
    services.approve(manager, second)
    assert (first.status, second.status) == (S.confirmed, S.waitlisted)
    assert services.waitlist_positions([second]) == {second.id: 1}


def test_reject_records_the_comment(employee, manager, make_session):
    booking = services.book(employee, make_session(price=100))
    services.reject(manager, booking, comment="Ikke i år")
    assert booking.status is S.rejected
    assert booking.decision_comment == "Ikke i år"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "booking.reject")
    )
    assert event.reason == "Ikke i år"
    assert event.before["status"] == "requested"


def test_only_the_persons_manager_may_approve(employee, create_user, make_session):
    booking = services.book(employee, make_session(price=100))
    other_manager = create_user("manager")
    for actor in (employee, other_manager):
        with pytest.raises(BookingError) as caught:
            services.approve(actor, booking)
        assert caught.value.code == "not_allowed"
    assert booking.status is S.requested
    assert booking.decided_by_id is None


def test_cancellation_offers_the_seat_to_the_first_in_line(
    employee, make_employee, make_session, app
):
    cs = make_session(capacity=1)
    holder = services.book(employee, cs)
    first, second = (
        services.book(make_employee(), cs),
        services.book(make_employee(), cs),
    )
    assert (first.status, second.status) == (S.waitlisted, S.waitlisted)
    now = utcnow()
    services.cancel(employee, holder, now=now)
    assert holder.status is S.cancelled
    assert first.status is S.offered
    assert second.status is S.waitlisted
    assert first.offer_expires_at == now + timedelta(hours=app.config["OFFER_HOURS"])
    assert cs.seats_taken == 1
    services.accept_offer(first.user, first)
    assert first.status is S.confirmed
    assert cs.seats_taken == 1


def test_a_lapsed_offer_passes_to_the_next(employee, make_employee, make_session):
    cs = make_session(capacity=1)
    holder = services.book(employee, cs)
    first, second = (
        services.book(make_employee(), cs),
        services.book(make_employee(), cs),
    )
    services.cancel(employee, holder)
    assert services.expire_due_offers() == 0
    later = utcnow() + timedelta(hours=49)
    assert services.expire_due_offers(later) == 1
    assert first.status is S.cancelled
    assert second.status is S.offered
    with pytest.raises(BookingError) as caught:
        services.accept_offer(first.user, first)
    assert caught.value.code == "wrong_state"
    assert cs.seats_taken == 1


def test_someone_who_is_no_party_is_refused_before_the_state_is_told(
    employee, create_user, make_provider, make_course, make_session
):
    # The provider's staff see the booking on the participant list, yet only
    # the booked person accepts an offer: refused as no party, whatever the state.
    staff = create_user("provider_staff")
    booking = services.book(employee, make_session(make_course(make_provider(staff))))
    assert booking.status is S.confirmed
    with pytest.raises(BookingError) as caught:
        services.accept_offer(staff, booking)
    assert caught.value.code == "not_allowed"


def test_an_offer_cannot_be_accepted_after_its_deadline(
    employee, make_employee, make_session
):
    cs = make_session(capacity=1)
    holder = services.book(employee, cs)
    waiting = services.book(make_employee(), cs)
    services.cancel(employee, holder)
    with pytest.raises(BookingError) as caught:
        services.accept_offer(waiting.user, waiting, now=utcnow() + timedelta(days=3))
    assert caught.value.code == "offer_expired"


def test_offer_deadline_never_passes_the_session_start(
    employee, make_employee, make_session
):
    cs = make_session(capacity=1, start=utcnow() + timedelta(hours=10))
    holder = services.book(employee, cs)
    waiting = services.book(make_employee(), cs)
    services.cancel(employee, holder)
    assert waiting.offer_expires_at == cs.starts_at


def test_clash_is_refused_naming_the_other_course(employee, make_session):
    start = utcnow() + timedelta(days=20)
    first = make_session(start=start, title="Samtaleteknik")
    second = make_session(start=start + timedelta(hours=2))
    services.book(employee, first)
    with pytest.raises(BookingError) as caught:
        services.book(employee, second)
    assert caught.value.code == "clash"
    assert "Samtaleteknik" in str(caught.value)
    assert second.seats_taken == 0


def test_a_clashing_person_is_passed_over_and_told_why(
    employee, make_employee, make_session
):
    start = utcnow() + timedelta(days=20)
    cs = make_session(capacity=1, start=start)
    holder = services.book(employee, cs)
    clashing, next_one = make_employee(), make_employee()
    first = services.book(clashing, cs)
    second = services.book(next_one, cs)
    # Booked on another day, then moved onto the waiting list's day: a place on
    # the waiting list keeps its days busy, so only a later move makes a clash.
    other = make_session(start=start + timedelta(days=3), title="Virksomhedskontakt")
    services.book(clashing, other)
    for meeting in other.meetings:
        meeting.starts_at -= timedelta(days=3) - timedelta(hours=1)
        meeting.ends_at -= timedelta(days=3) - timedelta(hours=1)
    db.session.commit()
    services.cancel(employee, holder)
    assert first.status is S.waitlisted
    assert second.status is S.offered
    assert "Virksomhedskontakt" in first.skip_reason
    told = db.session.scalar(
        sa.select(Notification)
        .where(Notification.user_id == clashing.id)
        .order_by(Notification.id.desc())
    )
    assert "Virksomhedskontakt" in told.body


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"booking_deadline": utcnow() - timedelta(days=1)}, "booking_closed"),
        ({"start": utcnow() - timedelta(hours=1)}, "session_started"),
    ],
)
def test_deadlines_and_past_sessions_are_refused(employee, make_session, changes, code):
    cs = make_session(**changes)
    with pytest.raises(BookingError) as caught:
        services.book(employee, cs)
    assert caught.value.code == code
    assert db.session.scalar(sa.select(sa.func.count(Booking.id))) == 0


def test_a_cancelled_session_cannot_be_booked(employee, make_session):
    from courses.sessions.models import SessionStatus

    cs = make_session(status=SessionStatus.cancelled)
    with pytest.raises(BookingError) as caught:
        services.book(employee, cs)
    assert caught.value.code == "session_cancelled"


def test_late_cancellation_is_recorded_and_the_manager_told(
    employee, manager, make_session
):
    cs = make_session(cancellation_deadline=utcnow() - timedelta(hours=1))
    booking = services.book(employee, cs)
    services.cancel(employee, booking)
    assert booking.status is S.late_cancelled
    assert cs.seats_taken == 0
    told = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == manager.id)
    ).all()
    assert any(employee.name in subject for subject in told)


def test_audience_is_enforced(employee, make_session):
    from courses.catalogue.models import Audience

    cs = make_session(audience=Audience.state)
    with pytest.raises(BookingError) as caught:
        services.book(employee, cs)
    assert caught.value.code == "not_in_audience"


def test_missing_prerequisites_are_named_and_can_be_waived(
    employee, manager, make_course, make_session
):
    basic = make_course(title="Grundkursus i beskæftigelse")
    cs = make_session(prerequisites=[basic])
    with pytest.raises(BookingError) as caught:
        services.book(employee, cs)
    assert "Grundkursus i beskæftigelse" in str(caught.value)
    services.grant_waiver(manager, employee, cs.course, reason="Erfaring fra a-kassen")
    assert services.book(employee, cs).status is S.confirmed
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "prerequisite.waived")
    )
    assert event.actor_id == manager.id
    assert event.reason == "Erfaring fra a-kassen"


def test_more_capacity_makes_offers(employee, make_employee, make_session):
    cs = make_session(capacity=1)
    services.book(employee, cs)
    waiting = [services.book(make_employee(), cs) for _ in range(3)]
    assert services.set_capacity(None, cs, 3) == 2
    assert [b.status for b in waiting] == [S.offered, S.offered, S.waitlisted]
    with pytest.raises(BookingError):
        services.set_capacity(None, cs, 2)
    assert cs.capacity == 3


def test_a_cancelled_session_cancels_its_bookings(
    employee, make_employee, make_session
):
    cs = make_session(capacity=1)
    services.book(employee, cs)
    services.book(make_employee(), cs)
    signals.session_cancelled.send(cs, reason="")
    assert set(_statuses(cs)) == {S.cancelled}
    assert cs.seats_taken == 0


def test_an_approval_rule_from_another_area_is_respected(app, employee, make_session):
    cs = make_session()
    rules = app.extensions.setdefault("booking_approval_rules", [])
    rules.append(lambda person, course_session: "profile")
    try:
        booking = services.book(employee, cs)
    finally:
        rules.pop()
    assert booking.status is S.requested
    assert booking.approval_reason == "profile"


def test_the_transition_table_is_complete():
    targets = {t.target for t in TRANSITIONS.values()}
    targets |= {t.when_full for t in TRANSITIONS.values() if t.when_full}
    assert targets == set(S)
    for t in TRANSITIONS.values():
        assert t.parties, t.name
        if Party.system in t.parties:
            assert Party.owner not in t.parties, t.name


def test_only_a_confirmed_seat_that_ends_sends_calendar_cancellations(
    employee, make_employee, manager, make_session
):
    """Requests, waiting-list places and offers never sent an invitation, so
    their end must not send cancellations for events nobody has."""
    rejected = services.book(employee, make_session(price=100))
    services.reject(manager, rejected, comment="Ikke i år")
    full = make_session(capacity=1)
    holder = services.book(make_employee(), full)
    waiting = services.book(make_employee(), full)
    services.cancel(waiting.user, waiting)
    services.cancel(holder.user, holder)
    db.session.commit()

    def calendar_mails(booking):
        return db.session.scalars(
            sa.select(OutboxMail.ics_method)
            .where(
                OutboxMail.to_address == booking.user.email,
                OutboxMail.ics.is_not(None),
            )
            .order_by(OutboxMail.id)  # in the order they were sent
        ).all()

    assert calendar_mails(rejected) == []
    assert calendar_mails(waiting) == []
    assert calendar_mails(holder) == ["REQUEST", "CANCEL"]


def test_a_request_approved_while_full_queues_behind_those_already_waiting(
    manager, make_employee, make_session
):
    """Approval comes before a place in the queue: the approved person is last
    in line, however early they asked."""
    cs = make_session(capacity=1)
    cs.course.price_municipal = Decimal(500)  # the municipal person needs approval
    db.session.commit()
    start = utcnow()
    asked = make_employee(employer_kind=EmployerKind.municipal)
    holder, waiting = (make_employee(employer_kind=EmployerKind.state) for _ in "ab")
    request = services.book(asked, cs, now=start)
    services.book(holder, cs, now=start + timedelta(seconds=1))
    queued = services.book(waiting, cs, now=start + timedelta(seconds=2))
    services.approve(manager, request, now=start + timedelta(seconds=3))
    assert (request.status, queued.status) == (S.waitlisted, S.waitlisted)
    assert services.waitlist_positions([request, queued]) == {
        queued.id: 1,
        request.id: 2,
    }

    services.cancel(holder, services.active_booking(holder, cs))

    assert queued.status is S.offered
    assert request.status is S.waitlisted
