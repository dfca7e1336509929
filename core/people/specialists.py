"""The organisation of the four specialist areas (seeds 000 and 001): a specialist
function per area in each employment region, its staff, and the jobcentres' key
persons, whom the jobcentre's coordinator appoints, replaces and relieves.

Organisation only, so it lives in core beside the region's advisers: every area
(the mentor suggestions in learning.internal, the knowledge pages in
learning.specialist) may ask who staffs a function or is a key person.
"""

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, joinedload, lazyload, mapped_column, relationship

from core.audit import record
from core.db import db, intpk
from core.people.advisers import advised_region_ids, advises
from core.people.errors import MESSAGES, PeopleError
from core.people.models import (
    KeyPerson,
    OrgUnit,
    Role,
    SpecialistArea,
    UnitKind,
    User,
)
from core.people.services import jobcentre_of, link_holders, set_key_person
from core.permissions import Link, link_counts


class KeyPersonError(PeopleError):
    """An appointment of a key person that the rules refuse."""

    messages = MESSAGES | {
        "not_an_employee": _l("Only an active employee can be a key person."),
        "not_in_jobcentre": _l("Choose a person who works in the jobcentre."),
        "already_key_person": _l(
            "The person is already the jobcentre's key person for this area."
        ),
        "not_allowed": _l("You may not appoint key persons for this jobcentre."),
    }


class SpecialistFunction(db.Model):
    """One area's specialist function in one employment region: what it does,
    where its website is and whom to contact."""

    __tablename__ = "specialist_functions"
    __table_args__ = (sa.UniqueConstraint("area", "region_id"),)

    id: Mapped[intpk]
    area: Mapped[SpecialistArea] = mapped_column(index=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Seed 000: each function keeps a website with the newest information.
    website: Mapped[str] = mapped_column(sa.String(500), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    # Stored text that the sources do not confirm (REFERENCE.md 3.2) is demo data.
    demo: Mapped[bool] = mapped_column(default=False)

    region: Mapped[OrgUnit] = relationship()
    staff: Mapped[list["SpecialistStaff"]] = relationship(
        back_populates="function", cascade="all, delete-orphan"
    )


class SpecialistStaff(db.Model):
    """A person who works in a specialist function."""

    __tablename__ = "specialist_staff"

    function_id: Mapped[int] = mapped_column(
        sa.ForeignKey("specialist_functions.id"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id"), primary_key=True, index=True
    )

    function: Mapped[SpecialistFunction] = relationship(back_populates="staff")
    user: Mapped[User] = relationship()


def staff_areas(user) -> set[SpecialistArea]:
    """The areas whose specialist function the person works in, while the link
    counts (the employee role held, the account active); kept for the request."""
    if not link_counts(user, Link.specialist_staff):
        return set()
    if has_request_context() and "_staff_areas" in user.__dict__:
        return set(user.__dict__["_staff_areas"])
    areas = set(
        db.session.scalars(
            sa.select(SpecialistFunction.area)
            .join(SpecialistStaff)
            .where(SpecialistStaff.user_id == user.id)
        )
    )
    if has_request_context():
        user.__dict__["_staff_areas"] = frozenset(areas)
    return areas


def functions(area: SpecialistArea | None = None) -> list[SpecialistFunction]:
    """The specialist functions with their region, by area and region name."""
    stmt = (
        sa.select(SpecialistFunction)
        .join(OrgUnit, OrgUnit.id == SpecialistFunction.region_id)
        .options(joinedload(SpecialistFunction.region))
        .order_by(SpecialistFunction.area, OrgUnit.name)
    )
    if area is not None:
        stmt = stmt.where(SpecialistFunction.area == area)
    return list(db.session.scalars(stmt))


def staff_of(functions: list[SpecialistFunction]) -> dict[int, list[User]]:
    """Each function's staff whose link counts, by name (one query)."""
    staff: dict[int, list[User]] = {function.id: [] for function in functions}
    if staff:
        rows = db.session.execute(
            sa.select(SpecialistStaff.function_id, User)
            .join(User, User.id == SpecialistStaff.user_id)
            .where(
                SpecialistStaff.function_id.in_(staff),
                link_holders(Link.specialist_staff),
            )
            .options(lazyload(User.role_rows))  # names and addresses, no roles
            .order_by(User.name)
        )
        for function_id, user in rows:
            staff[function_id].append(user)
    return staff


def add_staff(actor: User | None, function: SpecialistFunction, user: User) -> None:
    """Make `user` staff of `function` (idempotent)."""
    if db.session.get(SpecialistStaff, (function.id, user.id)) is None:
        db.session.add(SpecialistStaff(function=function, user=user))
        db.session.flush()
        record(actor, "specialist_staff.add", function, after={"user_id": user.id})


def region_of(unit: OrgUnit | None) -> OrgUnit | None:
    """The employment region a region, jobcentre or team lies in."""
    while unit is not None and unit.kind is not UnitKind.region:
        unit = unit.parent
    return unit


def may_appoint(actor, jobcentre: OrgUnit) -> bool:
    """The jobcentre's own coordinators appoint its key persons (seed 000: it is
    up to each jobcentre); administrators too."""
    if not getattr(actor, "is_authenticated", False) or not actor.active:
        return False
    if jobcentre.kind is not UnitKind.jobcentre:
        return False
    if actor.is_admin:
        return True
    own = jobcentre_of(actor)
    return (
        actor.has_role(Role.coordinator) and own is not None and own.id == jobcentre.id
    )


def appoint_key_person(
    actor: User, person: User, area: SpecialistArea, jobcentre: OrgUnit
) -> KeyPerson:
    """Appoint a member of `jobcentre`'s staff as its key person for `area`."""
    if not may_appoint(actor, jobcentre):
        raise KeyPersonError("not_allowed")
    if not person.active or Role.employee not in person.roles:
        raise KeyPersonError("not_an_employee", field="person_id")
    own = jobcentre_of(person)
    if own is None or own.id != jobcentre.id:
        raise KeyPersonError("not_in_jobcentre", field="person_id")
    existing = db.session.scalar(
        sa.select(KeyPerson).where(
            KeyPerson.user_id == person.id, KeyPerson.area == area
        )
    )
    if existing is not None and existing.jobcentre_id == jobcentre.id:
        raise KeyPersonError("already_key_person", field="person_id")
    return set_key_person(actor, person, area, jobcentre)


def end_key_person(actor: User, key_person: KeyPerson) -> None:
    """Relieve a key person of the appointment."""
    if not may_appoint(actor, key_person.jobcentre):
        raise KeyPersonError("not_allowed")
    record(
        actor,
        "key_person.end",
        key_person,
        before={
            "user_id": key_person.user_id,
            "area": key_person.area.value,
            "jobcentre_id": key_person.jobcentre_id,
        },
    )
    db.session.delete(key_person)
    db.session.flush()


def replace_key_person(actor: User, key_person: KeyPerson, person: User) -> KeyPerson:
    """Hand `key_person`'s appointment over to `person`, in one step: the area
    is never without its key person in between."""
    area, jobcentre = key_person.area, key_person.jobcentre
    if person.id == key_person.user_id:
        raise KeyPersonError("already_key_person", field="person_id")
    end_key_person(actor, key_person)
    return appoint_key_person(actor, person, area, jobcentre)


def appointments(jobcentres: list[OrgUnit]) -> dict[int, dict[SpecialistArea, list]]:
    """Each jobcentre's key persons whose appointment counts, by area, with the
    person loaded (one query)."""
    found: dict[int, dict[SpecialistArea, list]] = {
        unit.id: {area: [] for area in SpecialistArea} for unit in jobcentres
    }
    if found:
        rows = db.session.scalars(
            sa.select(KeyPerson)
            .join(User, User.id == KeyPerson.user_id)
            .where(KeyPerson.jobcentre_id.in_(found), link_holders(Link.key_person))
            .options(
                joinedload(KeyPerson.user).joinedload(User.team),
                joinedload(KeyPerson.user).lazyload(User.role_rows),  # not shown
            )
            .order_by(User.name)
        )
        for key_person in rows:
            found[key_person.jobcentre_id][key_person.area].append(key_person)
    return found


def missing_areas(jobcentres: list[OrgUnit]) -> dict[int, list[SpecialistArea]]:
    """For each jobcentre, the areas in which no appointment counts (one query)."""
    ids = [unit.id for unit in jobcentres]
    covered: dict[int, set[SpecialistArea]] = {unit_id: set() for unit_id in ids}
    if ids:
        rows = db.session.execute(
            sa.select(KeyPerson.jobcentre_id, KeyPerson.area)
            .join(User, User.id == KeyPerson.user_id)
            .where(KeyPerson.jobcentre_id.in_(ids), link_holders(Link.key_person))
            .distinct()
        )
        for unit_id, area in rows:
            covered[unit_id].add(area)
    return {
        unit_id: [area for area in SpecialistArea if area not in covered[unit_id]]
        for unit_id in ids
    }


def can_view_key_persons(user, jobcentre: OrgUnit) -> bool:
    """The jobcentre's own staff, the advisers of its region and administrators
    see who its key persons are and which areas lack one."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_admin or advises(user, jobcentre):
        return True
    own = jobcentre_of(user)
    return own is not None and own.id == jobcentre.id


def overview_region_ids(user) -> set[int] | None:
    """The regions whose jobcentres' key persons the person overviews: their own
    jobcentre's region for a coordinator, the regions an adviser advises; None
    for an administrator (every region)."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return set()
    if user.is_admin:
        return None
    regions = advised_region_ids(user)
    own = jobcentre_of(user)
    if user.has_role(Role.coordinator) and own is not None:
        regions.add(own.parent_id)
    return regions


def can_overview_key_persons(user) -> bool:
    """Coordinators (advisers among them) and administrators; asked by the menu on
    every page, so it reads no rows: which regions is overview_region_ids'."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return user.is_admin or user.has_role(Role.coordinator)
