"""Who reads, writes and edits knowledge items, and who is in an area's network;
predicates for views and templates (the person's areas read once per request,
in one statement)."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context

from core.db import db
from core.people.models import KeyPerson, SpecialistArea
from core.people.specialists import SpecialistFunction, SpecialistStaff
from core.permissions import Link, link_counts
from learning.specialist.models import ItemStatus, KnowledgeItem


@dataclass(frozen=True)
class Areas:
    """The areas whose specialist function the person works in, and those they
    are key person for, while the link counts (core.permissions.link_counts)."""

    staff: frozenset[SpecialistArea] = frozenset()
    key_person: frozenset[SpecialistArea] = frozenset()


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.active


def _names(column) -> sa.Select:
    return sa.select(sa.func.aggregate_strings(sa.cast(column, sa.String), ","))


def area_columns(user) -> list:
    """Two columns for one statement: the person's staff areas and key-person
    areas as comma-separated names, NULL where the link does not count (core's
    staff_areas and key_person_areas, read together)."""
    staff = _names(SpecialistFunction.area).join(SpecialistStaff)
    staff = staff.where(SpecialistStaff.user_id == user.id)
    key = _names(KeyPerson.area).where(KeyPerson.user_id == user.id)
    return [
        staff.scalar_subquery() if _counts(user, Link.specialist_staff) else sa.null(),
        key.scalar_subquery() if _counts(user, Link.key_person) else sa.null(),
    ]


def _counts(user, link: Link) -> bool:
    return _signed_in(user) and link_counts(user, link)


def keep_areas(user, staff: str | None, key_person: str | None) -> Areas:
    """The areas read by `area_columns`, kept for the request."""

    def parse(names: str | None) -> frozenset[SpecialistArea]:
        return frozenset(SpecialistArea[n] for n in (names or "").split(",") if n)

    areas = Areas(parse(staff), parse(key_person))
    if has_request_context():
        user.__dict__["_specialist_areas"] = areas
    return areas


def areas_of(user) -> Areas:
    """The person's staff and key-person areas: one statement (none when
    neither link counts), kept for the request."""
    if not _signed_in(user):
        return Areas()
    if has_request_context() and "_specialist_areas" in user.__dict__:
        return user.__dict__["_specialist_areas"]
    if not (_counts(user, Link.specialist_staff) or _counts(user, Link.key_person)):
        return keep_areas(user, None, None)
    return keep_areas(user, *db.session.execute(sa.select(*area_columns(user))).one())


def staff_areas(user) -> frozenset[SpecialistArea]:
    return areas_of(user).staff


def writer_areas(user) -> set[SpecialistArea]:
    """The areas the person writes for: as staff of a specialist function or
    as a key person, while the appointment counts."""
    areas = areas_of(user)
    return set(areas.staff | areas.key_person)


def can_read_knowledge(user) -> bool:
    """Everyone signed in reads the published items."""
    return _signed_in(user)


def can_write_in(user, area: SpecialistArea) -> bool:
    """Only the area's specialist staff and key persons write."""
    return area in writer_areas(user)


def can_view_item(user, item: KnowledgeItem) -> bool:
    """Published and archived items: everyone signed in. Drafts: their author
    and the area's specialist staff."""
    if not _signed_in(user):
        return False
    if item.status is not ItemStatus.draft:
        return True
    return user.id == item.author_id or item.area in staff_areas(user)


def can_edit_item(user, item: KnowledgeItem) -> bool:
    """The author while they write for the area, and the area's staff."""
    if not _signed_in(user):
        return False
    if item.area in staff_areas(user):
        return True
    return user.id == item.author_id and can_write_in(user, item.area)


def can_use_network(user, area: SpecialistArea) -> bool:
    """The area's key persons and specialist staff meet in its network."""
    return can_write_in(user, area)
