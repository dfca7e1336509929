"""Load the demo course -> competence links (learning/matching/demo/links.json)."""

import json
from pathlib import Path

import sqlalchemy as sa

from core.db import db
from courses.catalogue.models import Course
from learning.competences.models import Competence
from learning.matching.models import CourseCompetence

DEMO_FILE = Path(__file__).parent / "demo" / "links.json"


def load_demo_links() -> list[dict]:
    if not DEMO_FILE.exists():
        return []
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["links"]


def seed_demo_links() -> None:
    """Link the demo courses that have no links yet; a coordinator's own links (and
    a second run) are left alone. Courses or competences missing are skipped."""
    entries = load_demo_links()
    courses = {
        c.key: c
        for c in db.session.scalars(
            sa.select(Course).where(Course.key.in_([e["course"] for e in entries]))
        )
    }
    competences = {c.code: c for c in db.session.scalars(sa.select(Competence))}
    linked = set(db.session.scalars(sa.select(CourseCompetence.course_id).distinct()))
    for entry in entries:
        course = courses.get(entry["course"])
        if course is None or course.id in linked:
            continue
        for code, level in entry["competences"].items():
            if code in competences:
                db.session.add(
                    CourseCompetence(
                        course_id=course.id,
                        competence_id=competences[code].id,
                        level=int(level),
                        demo=True,
                    )
                )
    db.session.flush()
