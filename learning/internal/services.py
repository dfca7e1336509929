"""Internal offers: a colleague's job shadowing or peer session, published as a
free course session of the jobcentre's internal provider (so booking, waiting list
and approval are the courses' own), and its completion: the learner's reflection,
then the host's sign-off. They flush and never commit."""

from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from core.audit import record
from core.db import db, utcnow
from core.notifications.services import in_language_of, link_for, notify
from core.people.models import OrgUnit, UnitKind, User
from courses.bookings import services as bookings
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue import services as catalogue
from courses.catalogue.models import CourseStatus, Provider, ProviderKind
from courses.sessions import services as sessions
from courses.sessions.services import MeetingInput, SessionError
from learning.competences import services as framework
from learning.competences.models import Competence
from learning.internal.errors import SESSION_REASONS, InternalError
from learning.internal.models import InternalOffer, OfferCompletion, OfferKind
from learning.matching.models import CourseCompetence

MAX_CAPACITY = 500
REFLECTION_MIN, REFLECTION_MAX = 10, 2000
# Stored data, in the organisation's language like the rest of the catalogue.
PROVIDER_NAME = "Intern læring – {jobcentre}"
PROVIDER_KEY = "intern-{id}"


def jobcentre_of(person: User) -> OrgUnit | None:
    """The jobcentre the person's team belongs to (one query)."""
    if person.team_id is None:
        return None
    team = aliased(OrgUnit)
    return db.session.scalar(
        sa.select(OrgUnit)
        .join(team, team.parent_id == OrgUnit.id)
        .where(team.id == person.team_id, OrgUnit.kind == UnitKind.jobcentre)
    )


def internal_provider(jobcentre: OrgUnit, *, demo: bool = False) -> Provider:
    """The jobcentre's own provider of internal learning, made on first use."""
    key = PROVIDER_KEY.format(id=jobcentre.id)
    provider = db.session.scalar(sa.select(Provider).where(Provider.key == key))
    if provider is None:
        provider = catalogue.create_provider(
            None,
            key=key,
            name=PROVIDER_NAME.format(jobcentre=jobcentre.name)[:200],
            kind=ProviderKind.jobcentre,
            demo=demo,
        )
    return provider


def _check_links(competences: Mapping[int, int]) -> dict[int, int]:
    if not competences:
        raise InternalError("no_competences")
    top = framework.get_scale().top
    found = set(
        db.session.scalars(
            sa.select(Competence.id).where(
                Competence.id.in_(list(competences)), Competence.retired.is_(False)
            )
        )
    )
    if found != set(competences):
        raise InternalError("bad_competence")
    for level in competences.values():
        if not 1 <= level <= top:
            raise InternalError("bad_level", top=top)
    return dict(competences)


def create_offer(
    actor: User,
    *,
    kind: OfferKind,
    title: str,
    days: Sequence[MeetingInput],
    capacity: int,
    competences: Mapping[int, int],
    description: str = "",
    location: str = "",
    needs_approval: bool = False,
    demo: bool = False,
    key: str | None = None,
    now: datetime | None = None,
) -> InternalOffer:
    """Publish the actor's offer: a free session on `days` with `capacity` places
    that develops `competences` (competence id -> level reached)."""
    now = now or utcnow()
    jobcentre = jobcentre_of(actor)
    if jobcentre is None:
        raise InternalError("no_jobcentre")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InternalError("bad_capacity", max=MAX_CAPACITY)
    links = _check_links(competences)
    provider = internal_provider(jobcentre, demo=demo)
    try:
        starts = [day.instants()[0] for day in days]
        if starts and min(starts) <= now:
            raise InternalError("date_in_past")
        with db.session.begin_nested():
            course = catalogue.create_course(
                actor,
                provider,
                title=title,
                description=description,
                demo=demo,
                key=key,
                status=CourseStatus.published,
            )
            course_session = sessions.create_session(
                actor, course, meetings=days, capacity=capacity, location=location
            )
    except SessionError as exc:
        reason = SESSION_REASONS.get(exc.code, exc.code)
        raise InternalError("bad_days", reason=str(reason)) from exc
    except catalogue.CatalogueError as exc:
        raise InternalError("bad_days", reason=exc.code) from exc
    for competence_id, level in links.items():
        db.session.add(
            CourseCompetence(
                course_id=course.id, competence_id=competence_id, level=level, demo=demo
            )
        )
    offer = InternalOffer(
        course_session=course_session,
        host=actor,
        jobcentre=jobcentre,
        kind=kind,
        needs_approval=needs_approval,
        demo=demo,
    )
    db.session.add(offer)
    db.session.flush()
    record(
        actor,
        "internal_offer.create",
        offer,
        after={
            "course_session_id": course_session.id,
            "kind": kind.value,
            "capacity": capacity,
            "competences": {str(k): v for k, v in sorted(links.items())},
        },
    )
    return offer


def cancel_offer(actor: User, offer: InternalOffer, *, reason: str = "") -> None:
    """Call the offer off: its session is cancelled and so are its bookings."""
    sessions.cancel_session(actor, offer.course_session, reason=reason)
    record(actor, "internal_offer.cancel", offer, reason=reason)


def offer_for(booking: Booking) -> InternalOffer:
    """The internal offer `booking` is for, or InternalError."""
    offer = db.session.scalar(
        sa.select(InternalOffer).where(
            InternalOffer.course_session_id == booking.course_session_id
        )
    )
    if offer is None:
        raise InternalError("not_internal")
    return offer


def completion_of(booking: Booking) -> OfferCompletion | None:
    return db.session.scalar(
        sa.select(OfferCompletion).where(OfferCompletion.booking_id == booking.id)
    )


_REFLECTABLE = (BookingStatus.confirmed, BookingStatus.attended)


def write_reflection(
    actor: User, booking: Booking, text: str, *, now: datetime | None = None
) -> OfferCompletion:
    """The learner's short reflection, written once the offer has begun; the host
    is told it is there to sign off."""
    now = now or utcnow()
    offer = offer_for(booking)
    if actor.id != booking.user_id:
        raise InternalError("not_allowed")
    completion = completion_of(booking)
    if completion is not None and completion.signed_off_at is not None:
        raise InternalError("signed_off")
    if booking.status not in _REFLECTABLE:
        raise InternalError("wrong_state")
    starts = booking.course_session.starts_at
    if starts is None or starts > now:
        raise InternalError("not_begun")
    text = (text or "").strip()
    if not REFLECTION_MIN <= len(text) <= REFLECTION_MAX:
        raise InternalError("reflection_length", min=REFLECTION_MIN, max=REFLECTION_MAX)
    if completion is None:
        completion = OfferCompletion(booking=booking)
        db.session.add(completion)
    completion.reflection, completion.reflected_at = text, now
    db.session.flush()
    record(actor, "internal_offer.reflection", completion, after={"length": len(text)})
    _tell(
        offer.host,
        _l("Reflection written: %(title)s"),
        _l(
            "%(person)s has written a reflection on %(title)s. "
            "Read it and sign off the completion."
        ),
        offer,
        person=actor.name,
    )
    return completion


def sign_off(
    actor: User, booking: Booking, *, now: datetime | None = None
) -> OfferCompletion:
    """The host signs off: the booking is marked attended and completed through the
    bookings life cycle (which sends booking_completed, and evidence follows)."""
    now = now or utcnow()
    offer = offer_for(booking)
    if actor.id != offer.host_id:
        raise InternalError("not_allowed")
    completion = completion_of(booking)
    if completion is None or not completion.reflection:
        raise InternalError("no_reflection")
    if completion.signed_off_at is not None:
        raise InternalError("signed_off")
    bookings.record_attendance(actor, booking, "completed", now=now)
    completion.signed_off_by, completion.signed_off_at = actor, now
    db.session.flush()
    record(
        actor,
        "internal_offer.sign_off",
        completion,
        after={"booking_id": booking.id, "status": booking.status.value},
    )
    return completion


def _tell(recipient: User, subject, body, offer: InternalOffer, **params) -> None:
    title = offer.course_session.course.title
    link = link_for("learning.internal.detail", offer_id=offer.id)
    with in_language_of(recipient):
        notify(
            recipient,
            str(subject) % {"title": title},
            str(body) % {"title": title, **params},
            link=link,
        )
