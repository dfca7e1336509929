"""A course's page names the diplomas it is a module of, with the ECTS it
counts for, read with the course (issue 19)."""

import pytest

from core.db import db
from courses.diplomas import services
from courses.diplomas.models import Diploma, ModuleKind
from tests.courses.catalogue.factories import make_course

pytestmark = pytest.mark.usefixtures("app")


def test_a_course_page_names_its_diplomas(client, login_as, create_user):
    course = make_course(title="Lovgivning og ret")
    alone = make_course(title="Kursus uden diplom")
    for key, title, ects in (
        ("dib", "Diplom i beskæftigelse", 10),
        ("dl", "Diplom i ledelse", 7.5),
    ):
        diploma = Diploma(key=key, title=title)
        db.session.add(diploma)
        services.add_module(None, diploma, course, ects=ects, kind=ModuleKind.elective)
    db.session.commit()
    login_as(create_user("employee"))
    page = client.get(f"/kurser/{course.id}").text
    assert "Del af en diplomuddannelse" in page
    assert "Diplom i beskæftigelse</a>: 10 ECTS" in page
    assert "Diplom i ledelse</a>: 7,5 ECTS" in page
    assert page.index("Diplom i beskæftigelse") < page.index("Diplom i ledelse")
    other = client.get(f"/kurser/{alone.id}").text
    assert "Del af en diplomuddannelse" not in other
