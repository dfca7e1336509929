"""What the area and function pages show, each read in a fixed number of
queries whatever the number of jobcentres, items or sessions. Who staffs a
function and who is key person where is core's (core.people.specialists)."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, lazyload, selectinload

from core.db import db, utcnow
from core.people.models import KeyPerson, OrgUnit, SpecialistArea, UnitKind, User
from core.people.services import link_holders
from core.people.specialists import SpecialistFunction, SpecialistStaff
from core.permissions import Link
from courses.catalogue.models import Course
from courses.catalogue.permissions import keep_provider_ids, provider_ids_column
from courses.sessions.models import CourseSession, SessionStatus
from learning.specialist.models import (
    AreaCourse,
    ItemStatus,
    KnowledgeFeedToken,
    KnowledgeItem,
)
from learning.specialist.permissions import area_columns, keep_areas, staff_areas

UPCOMING = 10
# function id -> its staff whose link counts, by name
Staff = dict[int, list[User]]


@dataclass(frozen=True)
class Jobcentre:
    unit: OrgUnit
    key_persons: list[User]


@dataclass(frozen=True)
class Region:
    unit: OrgUnit
    jobcentres: list[Jobcentre]

    @property
    def lacking(self) -> int:
        return sum(1 for centre in self.jobcentres if not centre.key_persons)


def key_persons_by_jobcentre(
    area: SpecialistArea, region_id: int | None = None
) -> list[Region]:
    """Each region's jobcentres (or one region's) with their key persons for
    `area` whose appointment counts (core's link_holders), by name: one query."""
    counts = sa.and_(User.id == KeyPerson.user_id, link_holders(Link.key_person))
    stmt = (
        sa.select(OrgUnit, User)
        .outerjoin(
            KeyPerson,
            sa.and_(KeyPerson.jobcentre_id == OrgUnit.id, KeyPerson.area == area),
        )
        .outerjoin(User, counts)
        .where(OrgUnit.kind == UnitKind.jobcentre)
        .options(joinedload(OrgUnit.parent), lazyload(User.role_rows))
        .order_by(OrgUnit.name, OrgUnit.id, User.name)
    )
    if region_id is not None:
        stmt = stmt.where(OrgUnit.parent_id == region_id)
    regions: dict[int, Region] = {}
    centres: dict[int, Jobcentre] = {}
    for unit, person in db.session.execute(stmt):
        if unit.id not in centres:
            region = regions.setdefault(unit.parent_id, Region(unit.parent, []))
            centres[unit.id] = Jobcentre(unit, [])
            region.jobcentres.append(centres[unit.id])
        if person is not None:
            centres[unit.id].key_persons.append(person)
    return sorted(regions.values(), key=lambda r: r.unit.name)


def functions_of(area: SpecialistArea) -> list[SpecialistFunction]:
    """The area's function in each region, with its region: one query."""
    return list(
        db.session.scalars(
            sa.select(SpecialistFunction)
            .join(OrgUnit, OrgUnit.id == SpecialistFunction.region_id)
            .where(SpecialistFunction.area == area)
            .options(joinedload(SpecialistFunction.region))
            .order_by(OrgUnit.name)
        )
    )


def _with_staff(stmt: sa.Select) -> tuple[list[SpecialistFunction], Staff]:
    """The functions `stmt` selects, each with its staff whose link counts
    (core's link_holders), by name: one query."""
    counts = sa.and_(
        User.id == SpecialistStaff.user_id, link_holders(Link.specialist_staff)
    )
    rows = db.session.execute(
        stmt.add_columns(User)
        .outerjoin(
            SpecialistStaff, SpecialistStaff.function_id == SpecialistFunction.id
        )
        .outerjoin(User, counts)
        .options(joinedload(SpecialistFunction.region), lazyload(User.role_rows))
        .order_by(SpecialistFunction.id, User.name)
    )
    functions: list[SpecialistFunction] = []
    staff: Staff = {}
    for function, person in rows:
        if function.id not in staff:
            functions.append(function)
            staff[function.id] = []
        if person is not None:
            staff[function.id].append(person)
    return functions, staff


def area_functions(area: SpecialistArea) -> tuple[list[SpecialistFunction], Staff]:
    """The area's function in each region, by region name, with its region and
    staff: one query."""
    stmt = (
        sa.select(SpecialistFunction)
        .join(OrgUnit, OrgUnit.id == SpecialistFunction.region_id)
        .where(SpecialistFunction.area == area)
        .order_by(OrgUnit.name)
    )
    return _with_staff(stmt)


def function(function_id: int) -> tuple[SpecialistFunction | None, Staff]:
    """One function with its region and staff (one query); None when unknown."""
    stmt = sa.select(SpecialistFunction).where(SpecialistFunction.id == function_id)
    functions, staff = _with_staff(stmt)
    return (functions[0] if functions else None), staff


def upcoming_sessions(
    area: SpecialistArea, function_id: int | None = None
) -> list[CourseSession]:
    """The next open sessions of the courses linked to the area (or to one of
    its functions): its courses, seminars and network meetings."""
    stmt = (
        sa.select(CourseSession)
        .join(Course, Course.id == CourseSession.course_id)
        .join(AreaCourse, AreaCourse.course_id == Course.id)
        .where(
            AreaCourse.area == area,
            CourseSession.status == SessionStatus.open,
            CourseSession.starts_at > utcnow(),
            Course.archived_at.is_(None),
        )
        .options(joinedload(CourseSession.course).joinedload(Course.provider))
        .order_by(CourseSession.starts_at, CourseSession.id)
        .limit(UPCOMING)
    )
    if function_id is not None:
        stmt = stmt.where(AreaCourse.function_id == function_id)
    return list(db.session.scalars(stmt))


def _items(competences=selectinload):
    return sa.select(KnowledgeItem).options(
        joinedload(KnowledgeItem.author).lazyload(User.role_rows),
        joinedload(KnowledgeItem.function),
        competences(KnowledgeItem.competences),
    )


def published(area: SpecialistArea, function_id: int | None = None):
    """The area's published items, newest first (a statement to paginate)."""
    stmt = _items().where(
        KnowledgeItem.area == area, KnowledgeItem.status == ItemStatus.published
    )
    if function_id is not None:
        stmt = stmt.where(KnowledgeItem.function_id == function_id)
    return stmt.order_by(KnowledgeItem.published_at.desc(), KnowledgeItem.id.desc())


def feed_secret(user) -> str | None:
    """The secret of the person's private feed address, read with their staff
    and key-person areas (kept for the request's permission checks) and the
    providers they work for (kept for the menu's): one query."""
    secret = sa.select(KnowledgeFeedToken.secret)
    secret = secret.where(KnowledgeFeedToken.user_id == user.id).scalar_subquery()
    columns = [secret, *area_columns(user), provider_ids_column(user)]
    values = {"provider_member_id": user.id}
    row = db.session.execute(sa.select(*columns), values).one()
    found, staff, key_person, providers = row
    keep_areas(user, staff, key_person)
    keep_provider_ids(user, providers)
    return found


class KnowledgePage(Pagination):
    """A page of the area's published items, read with the drafts and archived
    items the person may see and the published total in one statement (the
    pagination's page and size as db.paginate reads them)."""

    def _query_items(self) -> list[KnowledgeItem]:
        user, area, function_id = self._query_args["of"]
        published = KnowledgeItem.status == ItemStatus.published
        if function_id is not None:
            published = sa.and_(published, KnowledgeItem.function_id == function_id)
        unpublished = KnowledgeItem.status != ItemStatus.published
        if area not in staff_areas(user):
            unpublished = sa.and_(unpublished, KnowledgeItem.author_id == user.id)
        # Newest first: published items by when they were published, the
        # others by when they were last changed (each list as it was alone).
        listed = sa.case(
            (published, KnowledgeItem.published_at), else_=KnowledgeItem.updated_at
        )
        ranked = (
            sa.select(
                KnowledgeItem.id,
                published.label("published"),
                sa.func.row_number()
                .over(
                    partition_by=published,
                    order_by=(listed.desc(), KnowledgeItem.id.desc()),
                )
                .label("rank"),
                sa.func.count().over(partition_by=published).label("total"),
            )
            .where(KnowledgeItem.area == area, sa.or_(published, unpublished))
            .subquery()
        )
        first = self._query_offset
        shown = sa.or_(
            ranked.c.published.is_(False),
            ranked.c.rank.between(first + 1, first + self.per_page),
        )
        rows = db.session.execute(
            _items(joinedload)
            .add_columns(ranked.c.published, ranked.c.total)
            .join(ranked, ranked.c.id == KnowledgeItem.id)
            .where(shown)
            .order_by(ranked.c.published.desc(), ranked.c.rank)
        ).unique()
        items, self.unpublished, self._total = [], [], 0
        for item, is_published, total in rows:
            if is_published:
                items.append(item)
                self._total = total
            else:
                self.unpublished.append(item)
        return items

    def _query_count(self) -> int:
        return self._total


def knowledge(
    user, area: SpecialistArea, function_id: int | None, per_page: int
) -> KnowledgePage:
    """The page's published items of the area (or of one function), and as
    `.unpublished` the drafts and archived items the person may see: all of the
    area's for its staff, their own for a key person. One query."""
    return KnowledgePage(
        per_page=per_page, error_out=False, of=(user, area, function_id)
    )


def item(item_id: int) -> KnowledgeItem | None:
    # One item: its few competences joined in the same statement (issue 19).
    stmt = _items(joinedload).where(KnowledgeItem.id == item_id)
    return db.session.scalars(stmt).unique().one_or_none()
