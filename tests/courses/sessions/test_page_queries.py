"""The course page, the provider's pages and the progress page issue a fixed number
of queries whatever the number of sessions, meetings, courses or participants."""

import sqlalchemy as sa

from core.db import db
from courses.bookings.models import Booking, BookingStatus
from courses.catalogue.models import Course
from courses.diplomas.models import Diploma, ModuleKind
from courses.diplomas.services import add_module


def _count(client, count_queries, path: str) -> int:
    client.get(path)  # warm per-process caches (translations, templates)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def _book(course_session, people):
    """Participants for the session's page (the bookings area's list on it)."""
    for person in people:
        db.session.add(
            Booking(
                user=person,
                course_session=course_session,
                status=BookingStatus.confirmed,
                budget_year=course_session.starts_at.year,
                price=0,
            )
        )
    db.session.commit()


def test_course_page_queries_do_not_grow(
    client, login_as, count_queries, make_course, make_session
):
    login_as("employee")
    small, large = make_course(), make_course()
    make_session(small, days=(30,))
    for n in range(8):
        make_session(large, days=(30 + 7 * n, 31 + 7 * n, 32 + 7 * n))
    assert _count(client, count_queries, f"/kurser/{small.id}") == _count(
        client, count_queries, f"/kurser/{large.id}"
    )


def test_provider_pages_queries_do_not_grow(
    client,
    login_as,
    count_queries,
    make_provider,
    make_course,
    make_session,
    create_user,
):
    staff = login_as("provider_staff")
    provider = make_provider(staff)
    one = make_session(make_course(provider), days=(30,))
    _book(one, [create_user()])
    few = _count(client, count_queries, "/udbyder/")
    one_detail = _count(client, count_queries, f"/hold/{one.id}")
    one_index = _count(client, count_queries, f"/kurser/{one.course_id}/hold/")
    many = make_session(make_course(provider), days=(40, 41, 42, 43))
    for _n in range(5):
        make_session(many.course, days=(60,))
    _book(many, [create_user() for _n in range(12)])
    for _n in range(10):
        make_course(provider)
    assert _count(client, count_queries, "/udbyder/") == few
    assert _count(client, count_queries, f"/hold/{many.id}") == one_detail
    assert _count(client, count_queries, f"/kurser/{many.course_id}/hold/") == one_index


def test_progress_page_queries_do_not_grow(
    client, login_as, count_queries, make_course
):
    login_as("employee")
    small, large = Diploma(key="s", title="Lille"), Diploma(key="l", title="Stor")
    db.session.add_all([small, large])
    add_module(None, small, make_course(), ects=15, kind=ModuleKind.final_project)
    for _n in range(9):
        add_module(None, large, make_course(), ects=5)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 10
    assert _count(client, count_queries, f"/diplomer/{small.id}/fremdrift") == _count(
        client, count_queries, f"/diplomer/{large.id}/fremdrift"
    )
