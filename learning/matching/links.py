"""Which competences a course develops: read, set one, remove one, or set a
course's whole list (the import). They flush and never commit."""

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.audit import record
from core.db import db
from core.people.models import User
from courses.catalogue.models import Course
from learning.competences import services as framework
from learning.competences.models import Competence
from learning.matching.errors import LinkError
from learning.matching.models import CourseCompetence


def links_for(course_ids: Iterable[int]) -> dict[int, list[CourseCompetence]]:
    """Course id -> its links with their competences, in competence code order."""
    ids = list(course_ids)
    result: dict[int, list[CourseCompetence]] = {cid: [] for cid in ids}
    if not ids:
        return result
    links = db.session.scalars(
        sa.select(CourseCompetence)
        .join(CourseCompetence.competence)
        .options(joinedload(CourseCompetence.competence))
        .where(CourseCompetence.course_id.in_(ids))
        .order_by(Competence.code)
    )
    for link in links:
        result[link.course_id].append(link)
    return result


def _state(links: Iterable[CourseCompetence]) -> dict:
    return {link.competence.code: link.level for link in links}


def _check_level(level: int) -> None:
    top = framework.get_scale().top
    if not 1 <= level <= top:
        raise LinkError("bad_level", top=top)


def set_link(
    actor: User | None, course: Course, competence: Competence, level: int
) -> CourseCompetence:
    """The course develops `competence` up to `level` (new, or a changed level)."""
    _check_level(level)
    existing = links_for([course.id])[course.id]
    before = _state(existing)
    link = next((x for x in existing if x.competence_id == competence.id), None)
    if link is None:
        if competence.retired:
            raise LinkError("retired")
        link = CourseCompetence(course=course, competence=competence, level=level)
        db.session.add(link)
        existing.append(link)
    link.level, link.demo = level, False
    db.session.flush()
    record(
        actor, "course_competences.set", course, before=before, after=_state(existing)
    )
    return link


def remove_link(actor: User | None, course: Course, competence_id: int) -> None:
    """The course no longer counts as developing the competence."""
    existing = links_for([course.id])[course.id]
    link = next((x for x in existing if x.competence_id == competence_id), None)
    if link is None:
        raise LinkError("no_link")
    before = _state(existing)
    db.session.delete(link)
    db.session.flush()
    after = _state(x for x in existing if x is not link)
    record(actor, "course_competences.set", course, before=before, after=after)


def replace_links(
    actor: User | None,
    courses: Mapping[int, Course],
    wanted: Mapping[int, Mapping[int, int]],
    competences: Mapping[int, Competence],
) -> None:
    """Each course in `wanted` gets exactly those competence id -> level links;
    the import checked the levels, references and retirements first."""
    existing = links_for(wanted)
    for course_id, levels in wanted.items():
        links = existing[course_id]
        before = _state(links)
        by_competence = {link.competence_id: link for link in links}
        for competence_id, link in by_competence.items():
            if competence_id not in levels:
                db.session.delete(link)
        for competence_id, level in levels.items():
            link = by_competence.get(competence_id)
            if link is None:
                db.session.add(
                    CourseCompetence(
                        course_id=course_id,
                        competence=competences[competence_id],
                        level=level,
                    )
                )
            elif link.level != level:
                link.level, link.demo = level, False
        after = {competences[cid].code: level for cid, level in levels.items()}
        if after != before:
            record(
                actor,
                "course_competences.set",
                courses[course_id],
                before=before,
                after=after,
            )
    db.session.flush()


def highest_linked_level() -> int:
    """The scale may not shrink below a level a course is said to develop."""
    return db.session.scalar(sa.select(sa.func.max(CourseCompetence.level))) or 0


framework.level_checks.append(highest_linked_level)
