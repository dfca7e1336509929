"""The catalogue page issues a fixed number of queries, and its filters use indexes."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from core.db import db, utcnow
from core.people.models import EmployerKind
from courses.catalogue.listing import CatalogueQuery, catalogue_select
from courses.catalogue.models import Audience, Category, Course, Provider, ProviderKind
from courses.diplomas.models import Diploma, DiplomaModule
from courses.sessions.models import CourseSession, Meeting


def _fill(courses: int) -> None:
    """Courses, each with two sessions and a meeting; every third a diploma module."""
    provider = Provider(key=f"p{courses}", name="Udbyder", kind=ProviderKind.cok)
    category = Category(key=f"c{courses}", title="Ledelse")
    diploma = Diploma(key=f"d{courses}", title="Diplom")
    db.session.add_all([provider, category, diploma])
    start = utcnow() + timedelta(days=30)
    for n in range(courses):
        course = Course(
            provider=provider,
            category=category,
            title=f"Kursus {n:04d}",
            audience=Audience.both,
            price_state=Decimal(n),
            price_municipal=Decimal(n),
        )
        course.refresh_search_text()
        db.session.add(course)
        for k in range(2):
            begins = start + timedelta(days=n + 7 * k)
            hours = timedelta(hours=6)
            db.session.add(
                CourseSession(
                    course=course,
                    capacity=10,
                    starts_at=begins,
                    ends_at=begins + hours,
                    meetings=[
                        Meeting(starts_at=begins, ends_at=begins + timedelta(hours=6))
                    ],
                )
            )
        if n % 3 == 0:
            db.session.add(DiplomaModule(diploma=diploma, course=course, ects=5))
    db.session.commit()


def _queries(client, count_queries, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    "query", ["", "?sort=date&free=1", "?sort=price&diploma=1&q=kursus"]
)
def test_catalogue_query_count_is_fixed(client, login_as, count_queries, query):
    login_as("employee")
    _fill(5)
    sep = "&" if query else "?"
    small = {
        size: _queries(client, count_queries, f"/kurser/{query}{sep}per_page={size}")
        for size in (10, 50)
    }
    _fill(200)
    large = {
        size: _queries(client, count_queries, f"/kurser/{query}{sep}per_page={size}")
        for size in (10, 50, 100)
    }
    assert set(small.values()) == set(large.values())
    assert len(set(large.values())) == 1
    assert large[100] <= 10


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (CatalogueQuery(category=1), "ix_courses_category_listing"),
        (CatalogueQuery(provider=1), "ix_courses_provider_listing"),
        (CatalogueQuery(), "ix_courses_listing"),
        (CatalogueQuery(sort="price"), "ix_courses_price_municipal"),
        (CatalogueQuery(free=True), "ix_course_sessions_course_upcoming"),
        (CatalogueQuery(sort="date"), "ix_course_sessions_course_upcoming"),
        (CatalogueQuery(diploma=True), "ix_diploma_modules_course_id"),
    ],
)
def test_filters_use_indexes(app, query, index):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan check reads SQLite's EXPLAIN QUERY PLAN")
    _fill(50)
    db.session.execute(sa.text("ANALYZE"))
    stmt = catalogue_select(query, EmployerKind.municipal).limit(20)
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = " ".join(
        str(row[-1])
        for row in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}"))
    )
    assert index in plan, plan
    if query.sort != "date":  # ordering by each course's first start reads them all
        assert "SCAN courses" not in plan, plan
    assert "SCAN course_sessions" not in plan, plan
    if query.sort == "price":  # the index serves the whole order: no sort at all
        assert "TEMP B-TREE" not in plan, plan


def test_cached_listing_follows_every_change(client, login_as, count_queries):
    login_as("employee")
    _fill(5)
    first = _queries(client, count_queries, "/kurser/?per_page=10")
    again = _queries(client, count_queries, "/kurser/?per_page=10")
    assert again < first  # the listing came from the cache
    course = db.session.scalar(sa.select(Course).where(Course.title == "Kursus 0000"))
    course.title = "Omdøbt kursus"
    db.session.commit()
    assert "Omdøbt kursus" in client.get("/kurser/?per_page=10").text
    course_session = db.session.scalar(
        sa.select(CourseSession).where(CourseSession.course_id == course.id).limit(1)
    )
    db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == course_session.id)
        .values(seats_taken=CourseSession.capacity)
    )
    db.session.commit()
    assert "10 ledige pladser" in client.get("/kurser/?per_page=10").text
