"""What the mentor suggestions read, in a fixed number of statements whatever
the jobcentre's size: who is around a person (their jobcentre, the colleagues'
levels, the key persons), the people to show, and the person's own requests
and opt-out."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, lazyload

from core.db import db
from core.people.models import KeyPerson, OrgUnit, SpecialistArea, UnitKind, User
from core.people.services import link_holders
from core.permissions import Link
from learning.assessments.gaps import current_level, latest_levels
from learning.assessments.models import Rating
from learning.internal.models import MentorOptOut, MentorRequest, RequestStatus

MENTOR_LEVEL = 3  # Beherske on the default scale
OPEN = (RequestStatus.pending, RequestStatus.accepted)


def declined():
    """Who asked not to be suggested."""
    return sa.select(MentorOptOut.user_id)


@dataclass(frozen=True)
class _KeyPerson:
    user_id: int
    area: SpecialistArea
    jobcentre_id: int


# The parts of _around's one statement, told apart by their first column.
_JOBCENTRE, _RATING, _KEY_PERSON = 0, 1, 2


def around(person: User, competence_ids: list[int], areas: set[SpecialistArea]):
    """Who is around the person, in one statement: their jobcentre's id (None
    when their team is under none), the colleagues' current levels in these
    competences (Beherske or above, (colleague, competence) -> level), and the
    key persons of these areas in the jobcentre, or where it has none, in the
    other jobcentres of its region (area -> key persons)."""
    # Aliases of their own: the outer parts read org_units too, and a
    # subquery naming the same table would be correlated to it.
    team, unit = aliased(OrgUnit), aliased(OrgUnit)
    jobcentre = (
        sa.select(unit.id)
        .join(team, team.parent_id == unit.id)
        .where(team.id == person.team_id, unit.kind == UnitKind.jobcentre)
        .scalar_subquery()
    )
    home = aliased(OrgUnit)
    region = sa.select(home.parent_id).where(home.id == jobcentre).scalar_subquery()
    text, number = sa.String, sa.Integer

    def blank(kind):
        # A NULL of the column's type, without a CAST (one object per column:
        # a select lists a repeated column once).
        return sa.type_coerce(sa.null(), kind)

    parts = [
        # The first part names the columns.
        sa.select(
            sa.literal(_JOBCENTRE, number).label("part"),
            jobcentre.label("who"),
            blank(number).label("what"),
            blank(text).label("kind"),
            blank(number).label("value"),
            blank(Rating.rated_at.type).label("at"),
            blank(number).label("row_id"),
        ),
        sa.select(
            sa.literal(_RATING, number),
            Rating.person_id,
            Rating.competence_id,
            sa.cast(Rating.source, text),
            Rating.level,
            Rating.rated_at,
            Rating.id,
        )
        .join(User, User.id == Rating.person_id)
        .join(OrgUnit, OrgUnit.id == User.team_id)
        .where(
            OrgUnit.parent_id == jobcentre,
            User.active.is_(True),
            User.id != person.id,
            User.id.not_in(declined()),
            Rating.competence_id.in_(competence_ids),
        ),
    ]
    if areas:
        parts.append(
            sa.select(
                sa.literal(_KEY_PERSON, number),
                KeyPerson.user_id,
                blank(number),
                sa.cast(KeyPerson.area, text),
                KeyPerson.jobcentre_id,
                blank(Rating.rated_at.type),
                KeyPerson.id,
            )
            .join(OrgUnit, OrgUnit.id == KeyPerson.jobcentre_id)
            .where(
                KeyPerson.area.in_(list(areas)),
                sa.or_(
                    KeyPerson.jobcentre_id == jobcentre,
                    OrgUnit.parent_id == region,
                ),
                KeyPerson.user_id != person.id,
                KeyPerson.user_id.not_in(declined()),
            )
        )
    union = sa.union_all(*parts).subquery()
    c = union.c
    rows = db.session.execute(
        sa.select(c.part, c.who, c.what, c.kind, c.value).order_by(
            c.part, c.at, c.row_id
        )
    ).all()
    jobcentre_id = next((r[1] for r in rows if r[0] == _JOBCENTRE), None)
    ratings = [(r[1], r[2], r[3], r[4]) for r in rows if r[0] == _RATING]
    levels = {}
    for key, (own, manager, agreed) in latest_levels(ratings).items():
        level = current_level(own, manager, agreed)
        if level is not None and level >= MENTOR_LEVEL:
            levels[key] = level
    found = [
        _KeyPerson(r[1], SpecialistArea(r[3]), r[4])
        for r in rows
        if r[0] == _KEY_PERSON
    ]
    keys: dict[SpecialistArea, list[_KeyPerson]] = {}
    for area in areas:
        mine = [kp for kp in found if kp.area is area]
        local = [kp for kp in mine if kp.jobcentre_id == jobcentre_id]
        keys[area] = local or mine
    return jobcentre_id, levels, keys


def people(ids) -> dict[int, User]:
    """The people to show, with their teams; the active ones whose links count."""
    if not ids:
        return {}
    users = db.session.scalars(
        sa.select(User)
        # link_counts(u, Link.key_person) in SQL: the roles are not read
        .where(User.id.in_(list(ids)), link_holders(Link.key_person))
        .options(
            joinedload(User.team).joinedload(OrgUnit.parent),
            lazyload(User.role_rows),
        )
    ).all()
    return {u.id: u for u in users}


def requests_and_opt_out(person) -> tuple[dict[tuple[int, int], RequestStatus], bool]:
    """The person's open requests, (mentor, competence) -> status, and whether
    they opted out of being suggested: one statement."""
    number = sa.Integer
    rows = db.session.execute(
        sa.union_all(
            sa.select(
                MentorRequest.mentor_id,
                MentorRequest.competence_id,
                sa.cast(MentorRequest.status, sa.String),
            ).where(
                MentorRequest.requester_id == person.id,
                MentorRequest.status.in_(OPEN),
            ),
            sa.select(
                MentorOptOut.user_id, sa.cast(sa.null(), number), sa.null()
            ).where(MentorOptOut.user_id == person.id),
        )
    ).all()
    asked = {
        (mentor_id, cid): RequestStatus(status)
        for mentor_id, cid, status in rows
        if cid is not None
    }
    return asked, any(cid is None for _m, cid, _s in rows)
