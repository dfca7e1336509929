"""The demo diplomas load from the catalogue's demo file."""

import sqlalchemy as sa

from core.db import db
from core.people.demo import seed_people
from courses.catalogue.demo import seed_catalogue
from courses.diplomas.demo import seed_diplomas
from courses.diplomas.models import Diploma, ModuleKind


def test_diploma_in_employment_has_sixty_ects_and_a_final_project(app):
    seed_people()
    seed_catalogue()
    seed_diplomas()
    db.session.commit()
    diploma = db.session.scalar(sa.select(Diploma).where(Diploma.key == "dib"))
    assert diploma.total_ects == 60
    assert diploma.demo
    finals = [m for m in diploma.modules if m.kind is ModuleKind.final_project]
    assert [m.ects for m in finals] == [15]
    assert sum(m.ects for m in diploma.modules) >= 60
