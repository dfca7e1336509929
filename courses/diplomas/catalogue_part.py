"""The diplomas' share of the catalogue's pages: the "diploma modules only"
filter, the badge on listed modules, and the diplomas a course belongs to."""

from datetime import datetime

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import joinedload

from core.db import db
from courses.catalogue.contributions import (
    ListingPart,
    add_course_page_load,
    add_course_page_part,
    add_listing_part,
)
from courses.catalogue.models import Course
from courses.diplomas.models import DiplomaModule


def _where(query, now: datetime) -> list:
    if not query.diploma:
        return []
    return [sa.exists().where(DiplomaModule.course_id == Course.id)]


def diploma_course_ids(course_ids: list[int]) -> set[int]:
    """Which of the courses are a module of some diploma, in one query."""
    if not course_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(DiplomaModule.course_id).where(
                DiplomaModule.course_id.in_(course_ids)
            )
        )
    )


def _course_load() -> list:
    # The modules and their diplomas come with the course (few rows: a course
    # is a module of a diploma or two).
    return [joinedload(Course.diploma_modules).joinedload(DiplomaModule.diploma)]


def _course_page(user, course: Course, _so_far: dict) -> dict:
    if "diploma_modules" in sa.inspect(course).unloaded:
        stmt = sa.select(DiplomaModule).where(DiplomaModule.course_id == course.id)
        stmt = stmt.options(joinedload(DiplomaModule.diploma))
        return {"modules": db.session.scalars(stmt.order_by(DiplomaModule.id)).all()}
    return {"modules": course.diploma_modules}


def register(app: Flask) -> None:
    table = DiplomaModule.__tablename__
    add_listing_part(
        app,
        ListingPart(
            where=_where,
            facts=lambda ids, now: {"diploma_ids": diploma_course_ids(ids)},
            version=(("count(*)", table), ("max(id)", table)),
        ),
    )
    add_course_page_load(app, _course_load)
    add_course_page_part(app, _course_page)
