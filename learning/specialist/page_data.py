"""What the area and function pages show, each read in a fixed number of
queries whatever the number of jobcentres, items or sessions. Who staffs a
function and who is key person where is core's (core.people.specialists)."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from core.db import db, utcnow
from core.people.models import OrgUnit, SpecialistArea, UnitKind, User
from core.people.specialists import SpecialistFunction, appointments, staff_of
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus
from learning.specialist.models import AreaCourse, ItemStatus, KnowledgeItem
from learning.specialist.permissions import staff_areas

UPCOMING = 10


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
    `area`: two queries."""
    stmt = (
        sa.select(OrgUnit)
        .where(OrgUnit.kind == UnitKind.jobcentre)
        .options(joinedload(OrgUnit.parent))
        .order_by(OrgUnit.name)
    )
    if region_id is not None:
        stmt = stmt.where(OrgUnit.parent_id == region_id)
    units = list(db.session.scalars(stmt))
    found = appointments(units)
    regions: dict[int, Region] = {}
    for unit in units:
        people = [kp.user for kp in found[unit.id][area]]
        region = regions.setdefault(unit.parent_id, Region(unit.parent, []))
        region.jobcentres.append(Jobcentre(unit, people))
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


def function(function_id: int) -> SpecialistFunction | None:
    return db.session.scalar(
        sa.select(SpecialistFunction)
        .where(SpecialistFunction.id == function_id)
        .options(joinedload(SpecialistFunction.region))
    )


def staff(functions: list[SpecialistFunction]) -> dict[int, list[User]]:
    """Each function's staff (one query)."""
    return staff_of(functions)


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


def unpublished(user, area: SpecialistArea) -> list[KnowledgeItem]:
    """Drafts and archived items the person may see: all of the area's for its
    staff, their own for a key person."""
    stmt = _items().where(
        KnowledgeItem.area == area, KnowledgeItem.status != ItemStatus.published
    )
    if area not in staff_areas(user):
        stmt = stmt.where(KnowledgeItem.author_id == user.id)
    return list(
        db.session.scalars(
            stmt.order_by(KnowledgeItem.updated_at.desc(), KnowledgeItem.id.desc())
        )
    )


def item(item_id: int) -> KnowledgeItem | None:
    # One item: its few competences joined in the same statement (issue 19).
    stmt = _items(joinedload).where(KnowledgeItem.id == item_id)
    return db.session.scalars(stmt).unique().one_or_none()
