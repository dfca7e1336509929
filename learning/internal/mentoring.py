"""Mentors for a person's gaps: colleagues in the same jobcentre at Beherske or
above in the competence, and the key persons of the matching specialist area;
asking one of them, their answer, and the opt-out from being suggested. A fixed
number of queries, whatever the size of the jobcentre."""

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core.audit import record
from core.db import db, utcnow
from core.notifications.services import in_language_of, link_for, notify
from core.people.models import SpecialistArea, User
from learning.competences.labels import localised
from learning.competences.models import Competence
from learning.internal import mentor_reads as reads
from learning.internal.errors import MentoringError
from learning.internal.models import MentorOptOut, MentorRequest, RequestStatus
from learning.matching import engine

MAX_GAPS = 8
MAX_PER_GAP = 6
MESSAGE_MAX = 1000
# The framework's areas that are one of the four specialist areas (seeds 000/001).
SPECIALIST_AREAS = {
    "ETN": SpecialistArea.ethnic_minorities,
    "LIGE": SpecialistArea.gender_equality,
    "HAND": SpecialistArea.disability,
    "EURES": SpecialistArea.eures,
}


@dataclass
class Candidate:
    user: User
    level: int | None = None
    key_area: SpecialistArea | None = None
    asked: RequestStatus | None = None


@dataclass
class GapMentors:
    competence: Competence
    current: int
    target: int
    candidates: list[Candidate] = field(default_factory=list)


def opted_out(user: User) -> bool:
    return db.session.get(MentorOptOut, user.id) is not None


def mentors_for(person: User, *, max_gaps: int = MAX_GAPS) -> list[GapMentors]:
    """For the person's largest gaps, who could help: a fixed number of queries
    whatever the jobcentre's size (four after the gaps: the jobcentre with the
    colleagues' levels and the key persons, the people, the requests sent)."""
    return _mentors(person, max_gaps)[0]


def mentors_and_opt_out(
    person: User, *, max_gaps: int = MAX_GAPS
) -> tuple[list[GapMentors], bool]:
    """mentors_for(), and whether the person opted out of being suggested,
    read with the requests they sent."""
    found, opted = _mentors(person, max_gaps)
    return found, opted_out(person) if opted is None else opted


def _mentors(person: User, max_gaps: int) -> tuple[list[GapMentors], bool | None]:
    gaps, competences = engine.people_gaps([person.id])
    open_gaps = sorted(
        (g for g in gaps.get(person.id, ()) if g.size),
        key=lambda g: (-g.size * g.priority, -g.size, g.competence_id),
    )[:max_gaps]
    if not open_gaps or person.team_id is None:
        return [], None
    wanted = [g.competence_id for g in open_gaps]
    areas = {cid: SPECIALIST_AREAS.get(competences[cid].area.code) for cid in wanted}
    jobcentre_id, levels, keys = reads.around(
        person, wanted, {a for a in areas.values() if a}
    )
    if jobcentre_id is None:
        return [], None
    ids = {pid for pid, _cid in levels}
    ids |= {kp.user_id for kps in keys.values() for kp in kps}
    users = reads.people(ids)
    asked, opted = reads.requests_and_opt_out(person)
    result = []
    for gap in open_gaps:
        cid = gap.competence_id
        entry = GapMentors(competences[cid], gap.current, gap.target)
        seen = set()
        for kp in keys.get(areas[cid], ()):
            user = users.get(kp.user_id)
            if user is not None and user.id not in seen:
                seen.add(user.id)
                level = levels.get((user.id, cid))
                entry.candidates.append(
                    Candidate(user, level, kp.area, asked.get((user.id, cid)))
                )
        colleagues = sorted(
            (
                (level, users[pid])
                for (pid, c), level in levels.items()
                if c == cid and pid in users and pid not in seen
            ),
            # Highest level first, the person's own team before other teams.
            key=lambda item: (
                -item[0],
                item[1].team_id != person.team_id,
                item[1].name,
            ),
        )
        for level, user in colleagues:
            entry.candidates.append(
                Candidate(user, level, None, asked.get((user.id, cid)))
            )
        entry.candidates = entry.candidates[:MAX_PER_GAP]
        result.append(entry)
    return result, opted


def _message(text: str | None) -> str:
    """A request's message or an answer's reply, stripped; MESSAGE_MAX at most."""
    text = (text or "").strip()
    if len(text) > MESSAGE_MAX:
        raise MentoringError("message_too_long", max=MESSAGE_MAX)
    return text


def ask(
    actor: User,
    mentor: User,
    competence: Competence,
    *,
    message: str = "",
    now: datetime | None = None,
) -> MentorRequest:
    """Ask a suggested colleague for sparring; they get a notice and an e-mail."""
    message = _message(message)
    suggested = any(
        c.user.id == mentor.id
        for gap in mentors_for(actor)
        if gap.competence.id == competence.id
        for c in gap.candidates
    )
    if not suggested:
        raise MentoringError("not_suggested")
    request_ = MentorRequest(
        requester=actor,
        mentor=mentor,
        competence=competence,
        message=message,
        created_at=now or utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(request_)
    except IntegrityError as exc:
        raise MentoringError("already_asked") from exc
    record(
        actor,
        "mentor_request.ask",
        request_,
        after={"mentor_id": mentor.id, "competence_id": competence.id},
    )
    _tell(
        mentor,
        _l("%(person)s asks you for sparring"),
        _l(
            "%(person)s would like your help with “%(competence)s”. %(message)s\n"
            "Answer the request under Sparring."
        ),
        person=actor.name,
        competence=competence,
        message=message,
    )
    return request_


# The request's life cycle as data: source is always pending.
STEPS = {
    "accept": (RequestStatus.accepted, "mentor"),
    "decline": (RequestStatus.declined, "mentor"),
    "withdraw": (RequestStatus.withdrawn, "requester"),
}
_ANSWERS = {
    RequestStatus.accepted: (
        _l("%(person)s said yes to sparring"),
        _l("%(person)s will help you with “%(competence)s”. %(message)s"),
    ),
    RequestStatus.declined: (
        _l("%(person)s cannot help this time"),
        _l("%(person)s has declined your request about “%(competence)s”. %(message)s"),
    ),
    RequestStatus.withdrawn: (
        _l("%(person)s withdrew the request for sparring"),
        _l("%(person)s no longer needs your help with “%(competence)s”. %(message)s"),
    ),
}


def may(name: str, actor: User, request_: MentorRequest) -> bool:
    """May `actor` make step `name` on the request (its state aside)?"""
    step = STEPS.get(name)
    if step is None:
        return False
    side = request_.mentor_id if step[1] == "mentor" else request_.requester_id
    return actor.id == side


def answer(
    actor: User,
    request_: MentorRequest,
    name: str,
    *,
    reply: str = "",
    now: datetime | None = None,
) -> MentorRequest:
    """Accept, decline or withdraw a pending request; the other side is told."""
    if not may(name, actor, request_):
        raise MentoringError("not_allowed")
    if request_.status is not RequestStatus.pending:
        raise MentoringError("wrong_state")
    reply = _message(reply)
    target, side = STEPS[name]
    before = request_.status.value
    request_.status, request_.reply = target, reply
    request_.answered_at = now or utcnow()
    db.session.flush()
    record(
        actor,
        f"mentor_request.{name}",
        request_,
        before={"status": before},
        after={"status": target.value},
        reason=reply,
    )
    other = request_.requester if side == "mentor" else request_.mentor
    subject, body = _ANSWERS[target]
    _tell(
        other,
        subject,
        body,
        person=actor.name,
        competence=request_.competence,
        message=reply,
    )
    return request_


def set_opt_out(actor: User, out: bool) -> bool:
    """Stop (or start again) being suggested as a mentor; True if it changed."""
    row = db.session.get(MentorOptOut, actor.id)
    if out == (row is not None):
        return False
    if out:
        db.session.add(MentorOptOut(user_id=actor.id))
    else:
        db.session.delete(row)
    db.session.flush()
    record(
        actor,
        "mentor.opt_out" if out else "mentor.opt_in",
        MentorOptOut.__tablename__,
        after={"user_id": actor.id},
    )
    return True


def requests_of(person: User) -> tuple[list[MentorRequest], list[MentorRequest]]:
    """Requests the person received and sent, newest first: one query."""
    rows = db.session.scalars(
        sa.select(MentorRequest)
        .where(
            sa.or_(
                MentorRequest.mentor_id == person.id,
                MentorRequest.requester_id == person.id,
            )
        )
        .options(
            joinedload(MentorRequest.requester),
            joinedload(MentorRequest.mentor),
            joinedload(MentorRequest.competence),
        )
        .order_by(MentorRequest.created_at.desc(), MentorRequest.id.desc())
    ).all()
    received = [r for r in rows if r.mentor_id == person.id]
    sent = [r for r in rows if r.requester_id == person.id]
    return received, sent


def _tell(recipient: User, subject, body, **params) -> None:
    link = link_for("learning.mentoring.requests")
    with in_language_of(recipient):
        # A competence's title is read in the recipient's language, not the actor's.
        params = {
            key: localised(value) if isinstance(value, Competence) else value
            for key, value in params.items()
        }
        notify(
            recipient,
            str(subject) % params,
            (str(body) % params).strip(),
            link=link,
        )
