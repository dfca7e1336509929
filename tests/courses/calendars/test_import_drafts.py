"""An imported event with a title no course has becomes a draft course, never a
published course at 0 kr. (issue 15); the preview and the result say so."""

import io

import sqlalchemy as sa

from core.db import db
from courses.catalogue.models import Course, CourseStatus
from tests.courses.calendars.icsfiles import calendar, cph, event, nov

UNKNOWN = calendar(
    event(
        "ukendt@udbyder",
        cph(f"{nov(10)}T090000"),
        cph(f"{nov(10)}T150000"),
        "Ukendt temadag om mentorer",
        location=":Vejle",
    )
)


def _upload(client, provider):
    return client.post(
        f"/udbyder/{provider.id}/kalender",
        data={"file": (io.BytesIO(UNKNOWN), "kalender.ics")},
        content_type="multipart/form-data",
    )


def test_an_unknown_title_becomes_a_draft_course_and_the_preview_says_so(
    client, login_as, make_provider
):
    staff = login_as("provider_staff")
    provider = make_provider(staff, name="VIA UC")
    preview_url = _upload(client, provider).headers["Location"]

    preview = client.get(preview_url).text
    assert "Nyt kursus (kladde): Ukendt temadag om mentorer" in preview
    assert "Et nyt kursus gemmes som kladde til 0 kr." in preview

    applied = client.post(preview_url, follow_redirects=True)
    assert "1 nyt kursus er en kladde (Ukendt temadag om mentorer)" in applied.text
    course = db.session.scalar(sa.select(Course))
    assert course.status is CourseStatus.draft
    assert "Kladde" in client.get(f"/kurser/{course.id}").text
    feed = client.get(f"/kalender/udbyder/{provider.id}.ics").text
    assert "Ukendt temadag" not in feed

    login_as("employee")
    assert "Ukendt temadag" not in client.get("/kurser/").text
    assert client.get(f"/kurser/{course.id}").status_code == 404


def test_an_import_into_a_known_course_keeps_it_published(
    client, login_as, make_provider, make_course
):
    staff = login_as("provider_staff")
    provider = make_provider(staff, name="VIA UC")
    known = make_course(provider, title="Ukendt temadag om mentorer")
    preview_url = _upload(client, provider).headers["Location"]
    preview = client.get(preview_url).text
    assert f'<option selected value="{known.id}">Ukendt temadag' in preview

    applied = client.post(preview_url, follow_redirects=True)
    assert "kladde" not in applied.text
    db.session.expire_all()
    assert db.session.scalars(sa.select(Course.id)).all() == [known.id]
    assert db.session.get(Course, known.id).status is CourseStatus.published
    feed = client.get(f"/kalender/udbyder/{provider.id}.ics").text
    assert "Ukendt temadag om mentorer" in feed
