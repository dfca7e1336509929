"""Courses of the catalogue linked to a specialist area (or one of its regional
functions): its courses, seminars and network meetings, whose next sessions the
area page lists. The link lives here, on the learning side, so `courses` never
learns that specialist areas exist. The acting user is an argument; these
functions flush and never commit; refusals are SpecialistError."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.audit import record
from core.db import db
from core.people.models import Role, SpecialistArea, User
from core.people.specialists import SpecialistFunction
from core.permissions import has_any_role
from courses.catalogue.models import Course, Provider
from learning.specialist.errors import SpecialistError
from learning.specialist.models import AreaCourse
from learning.specialist.permissions import staff_areas


def can_link_courses(user, area: SpecialistArea) -> bool:
    """The area's specialist staff, coordinators and admins link courses."""
    if not (getattr(user, "is_authenticated", False) and user.active):
        return False
    return area in staff_areas(user) or has_any_role(user, Role.coordinator)


def linked(area: SpecialistArea) -> list[AreaCourse]:
    """The area's links with their course, provider and function: one query."""
    return list(
        db.session.scalars(
            sa.select(AreaCourse)
            .join(Course, Course.id == AreaCourse.course_id)
            .where(AreaCourse.area == area)
            .options(
                joinedload(AreaCourse.course).joinedload(Course.provider),
                joinedload(AreaCourse.function),
            )
            .order_by(Course.title, Course.id)
        )
    )


def linkable(area: SpecialistArea) -> list[tuple[int, str, str]]:
    """(id, title, provider) of the catalogue's courses in use and not yet
    linked to the area: one query."""
    taken = sa.select(AreaCourse.course_id).where(AreaCourse.area == area)
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(Course.id, Course.title, Provider.name)
            .join(Provider, Provider.id == Course.provider_id)
            .where(Course.archived_at.is_(None), Course.id.not_in(taken))
            .order_by(Course.title, Course.id)
        )
    ]


def link_course(
    actor: User,
    area: SpecialistArea,
    course_id: int | None,
    function_id: int | None = None,
) -> AreaCourse:
    """Link a catalogue course to `area` (and, if given, one of its functions)."""
    if not can_link_courses(actor, area):
        raise SpecialistError("not_allowed")
    course = db.session.get(Course, course_id) if course_id else None
    if course is None:
        raise SpecialistError("unknown_course", field="course_id")
    if course.archived_at is not None:
        raise SpecialistError("archived_course", field="course_id")
    function = None
    if function_id is not None:
        function = db.session.get(SpecialistFunction, function_id)
        if function is None or function.area is not area:
            raise SpecialistError("bad_function", field="function_id")
    if db.session.get(AreaCourse, (area, course.id)) is not None:
        raise SpecialistError("course_linked", field="course_id", title=course.title)
    link = AreaCourse(area=area, course=course, function=function)
    db.session.add(link)
    db.session.flush()
    record(actor, "area_course.link", course, after=_state(link))
    return link


def unlink_course(actor: User, area: SpecialistArea, course_id: int) -> Course:
    """Remove the link between `area` and a course; the course stays as it is."""
    if not can_link_courses(actor, area):
        raise SpecialistError("not_allowed")
    link = db.session.get(AreaCourse, (area, course_id))
    if link is None:
        raise SpecialistError("course_not_linked")
    course = link.course
    before = _state(link)
    db.session.delete(link)
    db.session.flush()
    record(actor, "area_course.unlink", course, before=before)
    return course


def _state(link: AreaCourse) -> dict:
    return {
        "area": link.area.value,
        "course_id": link.course_id,
        "function_id": link.function_id,
    }
