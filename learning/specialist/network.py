"""The key-person network of an area (seed 000): its key persons across the
jobcentres and the staff of its specialist functions. A message or a meeting
invitation reaches them all (or one region's part) in the app and by e-mail
through the outbox; an invitation carries an .ics made by the courses' calendar
writer."""

import enum
import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, aliased, joinedload, mapped_column, relationship

from core.audit import record
from core.db import db, intpk, utcnow
from core.errors import DomainError
from core.notifications.services import in_language_of, link_for, notify
from core.people.models import KeyPerson, OrgUnit, SpecialistArea, UnitKind, User
from core.people.services import link_holders
from core.people.specialists import SpecialistFunction, SpecialistStaff
from core.permissions import Link
from core.registry import PersonalData
from core.urls import public_base_url
from courses.calendars import ical
from courses.calendars.events import uid_domain
from courses.sessions.errors import SessionError
from courses.sessions.services import MeetingInput
from learning.specialist.labels import AREA_LABELS, SLUGS
from learning.specialist.permissions import can_use_network

log = logging.getLogger(__name__)
SUBJECT_MAX = 200
BODY_MAX = 4000
PLACE_MAX = 300


class NetworkError(DomainError):
    """A network message or invitation that the rules refuse."""

    messages = {
        "not_allowed": _l(
            "Only the area's key persons and specialist staff write here."
        ),
        "bad_subject": _l("Give the message a subject of at most 200 characters."),
        "no_message": _l("Write the message."),
        "text_too_long": _l("The text may be at most %(max)s characters."),
        "place_too_long": _l("The place may be at most %(max)s characters."),
        "no_recipients": _l("Nobody else is in this part of the network yet."),
        "bad_region": _l("Choose one of the regions, or the whole country."),
        "meeting_time": _l("Give the meeting a day, a start and an end time."),
        "bad_meeting": _l("The meeting cannot be held then: %(reason)s."),
        "meeting_in_past": _l("The meeting must lie in the future."),
    }


# Why a meeting's day and times cannot be used, as `reason`.
MEETING_REASONS = {
    "holiday": _l("the day is a public holiday"),
    "meeting_ends_before_start": _l("it ends before it starts"),
    "date_out_of_range": _l("the date is out of range"),
    "time_does_not_exist": _l("the time does not exist on that day"),
}


class MessageKind(enum.Enum):
    message = "message"
    meeting = "meeting"  # an invitation, e-mailed with an .ics


class NetworkMessage(db.Model):
    """A message or meeting invitation to an area's key-person network, all of
    it or one region's part; each recipient's copy is their notification."""

    __tablename__ = "network_messages"
    __table_args__ = (
        sa.CheckConstraint(
            "kind <> 'meeting' OR (starts_at IS NOT NULL AND ends_at > starts_at)",
            name="meeting_has_time",
        ),
        # The area's page lists its latest messages.
        sa.Index("ix_network_messages_area", "area", "id"),
    )

    id: Mapped[intpk]
    area: Mapped[SpecialistArea]
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_units.id"))
    kind: Mapped[MessageKind]
    sender_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[OrgUnit | None] = relationship()
    sender: Mapped[User] = relationship()


# What a person's copy of their data holds of the network: what they sent.
PERSONAL_DATA = PersonalData(
    "network_messages",
    _l("Messages and meeting invitations you sent to a key-person network."),
    subject="sender_id",
    free_text=("subject", "body", "place"),
)


@dataclass(frozen=True)
class Member:
    user: User
    region_id: int | None
    where: str  # the jobcentre, or the specialist function
    staff: bool


def members(area: SpecialistArea, region_id: int | None = None) -> list[Member]:
    """The network: function staff, then key persons by jobcentre, whose links
    count, in two queries; optionally one region's part only."""
    jobcentre = aliased(OrgUnit)
    keys = (
        sa.select(User, jobcentre)
        .join(KeyPerson, KeyPerson.user_id == User.id)
        .join(jobcentre, jobcentre.id == KeyPerson.jobcentre_id)
        .where(KeyPerson.area == area, link_holders(Link.key_person))
        .order_by(jobcentre.name, User.name)
    )
    staff = (
        sa.select(User, SpecialistFunction)
        .join(SpecialistStaff, SpecialistStaff.user_id == User.id)
        .join(SpecialistFunction)
        .where(SpecialistFunction.area == area, link_holders(Link.specialist_staff))
        .order_by(SpecialistFunction.name, User.name)
    )
    if region_id is not None:
        keys = keys.where(jobcentre.parent_id == region_id)
        staff = staff.where(SpecialistFunction.region_id == region_id)
    found = [
        Member(user, function.region_id, function.name, True)
        for user, function in db.session.execute(staff)
    ]
    found += [
        Member(user, unit.parent_id, unit.name, False)
        for user, unit in db.session.execute(keys)
    ]
    return found


def regions() -> list[OrgUnit]:
    return list(
        db.session.scalars(
            sa.select(OrgUnit)
            .where(OrgUnit.kind == UnitKind.region)
            .order_by(OrgUnit.name)
        )
    )


def recent(area: SpecialistArea, limit: int = 20) -> list[NetworkMessage]:
    """The area's latest messages and invitations, newest first."""
    return list(
        db.session.scalars(
            sa.select(NetworkMessage)
            .where(NetworkMessage.area == area)
            .options(
                joinedload(NetworkMessage.sender), joinedload(NetworkMessage.region)
            )
            .order_by(NetworkMessage.id.desc())
            .limit(limit)
        )
    )


def _meeting_times(meeting: MeetingInput | None):
    if meeting is None or None in (meeting.day, meeting.start, meeting.end):
        raise NetworkError("meeting_time", field="day")
    try:
        starts_at, ends_at = meeting.instants()
    except SessionError as exc:
        reason = MEETING_REASONS.get(exc.code, exc.code)
        raise NetworkError("bad_meeting", field="day", reason=reason) from exc
    if starts_at <= utcnow():
        raise NetworkError("meeting_in_past", field="day")
    return starts_at, ends_at


def _checked_text(subject: str, body: str, kind: MessageKind) -> tuple[str, str]:
    subject = (subject or "").strip()
    if not subject or len(subject) > SUBJECT_MAX:
        raise NetworkError("bad_subject", field="subject")
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise NetworkError("text_too_long", field="body", max=BODY_MAX)
    if kind is MessageKind.message and not body:
        raise NetworkError("no_message", field="body")
    return subject, body


def send(
    actor: User,
    area: SpecialistArea,
    *,
    kind: MessageKind,
    subject: str,
    body: str,
    region_id: int | None = None,
    meeting: MeetingInput | None = None,
) -> NetworkMessage:
    """Send a message (or a meeting invitation) to the area's network, or to
    one region's part of it; everyone but the sender is told."""
    if not can_use_network(actor, area):
        raise NetworkError("not_allowed")
    subject, body = _checked_text(subject, body, kind)
    region = None
    if region_id is not None:
        region = db.session.get(OrgUnit, region_id)
        if region is None or region.kind is not UnitKind.region:
            raise NetworkError("bad_region", field="region_id")
    message = NetworkMessage(
        area=area, region=region, kind=kind, sender=actor, subject=subject, body=body
    )
    if kind is MessageKind.meeting:
        message.starts_at, message.ends_at = _meeting_times(meeting)
        place = (meeting.place or "").strip()
        if len(place) > PLACE_MAX:
            raise NetworkError("place_too_long", field="place", max=PLACE_MAX)
        message.place = place
    recipients = {m.user.id: m.user for m in members(area, region_id)}
    recipients.pop(actor.id, None)
    if not recipients:
        raise NetworkError("no_recipients")
    message.recipients = len(recipients)
    db.session.add(message)
    db.session.flush()
    for person in recipients.values():
        _tell(message, person)
    record(
        actor,
        "network_message.send",
        message,
        after={"area": area.value, "kind": kind.value, "recipients": len(recipients)},
    )
    return message


def message_link(message: NetworkMessage) -> str:
    """Where the notification leads: the message on the network's page."""
    path = link_for("learning.specialist.network.index", slug=SLUGS[message.area])
    return f"{path}#besked-{message.id}"


def _tell(message: NetworkMessage, person: User) -> None:
    with in_language_of(person):
        area = str(AREA_LABELS[message.area])
        subject = _("%(area)s network: %(subject)s", area=area, subject=message.subject)
        body = message.body
        if message.kind is MessageKind.meeting:
            invitation = _(
                "%(sender)s invites the %(area)s network to a meeting.",
                sender=message.sender.name,
                area=area,
            )
            body = f"{invitation}\n\n{body}" if body else invitation
        ics = meeting_file(message, person, method="REQUEST")
        notify(person, subject, body, link=message_link(message), ics=ics)


def meeting_file(
    message: NetworkMessage, person: User, *, method: str | None = None
) -> str | None:
    """The meeting as iCalendar for `person`: one UID per person and meeting, so
    a later change or cancellation replaces it in their calendar."""
    if message.kind is not MessageKind.meeting:
        return None
    url = public_base_url() + message_link(message)
    try:
        event = ical.EventSpec(
            uid=f"network-{message.id}-person-{person.id}@{uid_domain()}",
            sequence=0,
            start=message.starts_at,
            end=message.ends_at,
            summary=message.subject,
            last_modified=message.created_at,
            location=message.place,
            description=f"{message.body}\n\n{url}".strip(),
            url=url,
            organizer_email=current_app.config["SMTP_SENDER"],
            organizer_name=message.sender.name,
            attendee_email=person.email,
            attendee_name=person.name,
        )
        return ical.build_calendar([event], name=message.subject, method=method).decode(
            "utf-8"
        )
    except ValueError as exc:  # an address iCalendar cannot carry: mail without it
        log.warning("no invitation file for network message %s: %s", message.id, exc)
        return None
