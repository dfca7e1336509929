"""The demo links: every seed-004 course develops seed-003 competences, marked as
demo data, and every demo employee with a gap has one a linked, open session covers."""

import json

import sqlalchemy as sa

from core.db import db, utcnow
from core.people.demo import load_demo_data
from core.people.models import Role, User
from courses.catalogue.demo import load_catalogue_data
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, SessionStatus
from learning.assessments import services as assessments
from learning.competences.demo import load_demo_framework
from learning.matching import engine
from learning.matching.demo import DEMO_FILE
from learning.matching.models import CourseCompetence


def test_the_demo_file_links_every_demo_course_to_known_competences():
    links = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["links"]
    courses = {c["key"] for c in load_catalogue_data()["courses"]}
    codes = {c["code"] for c in load_demo_framework()["competences"]}
    top = max(lv["value"] for lv in load_demo_framework()["scale"]["levels"])
    assert {entry["course"] for entry in links} == courses
    for entry in links:
        assert entry["competences"], entry["course"]
        assert set(entry["competences"]) <= codes, entry["course"]
        assert all(1 <= level <= top for level in entry["competences"].values())


def _open_offers(now) -> dict[int, list[tuple[Course, int]]]:
    """Competence id -> (course, level) of courses with a session open for booking."""
    open_courses = set(
        db.session.scalars(
            sa.select(CourseSession.course_id).where(
                CourseSession.status == SessionStatus.open,
                CourseSession.starts_at > now,
                sa.or_(
                    CourseSession.booking_deadline.is_(None),
                    CourseSession.booking_deadline > now,
                ),
            )
        )
    )
    offers: dict[int, list] = {}
    for link in db.session.scalars(sa.select(CourseCompetence)):
        if link.course_id in open_courses:
            offers.setdefault(link.competence_id, []).append((link.course, link.level))
    return offers


def test_seeded_links_give_every_demo_employee_a_suggestion(app):
    """Every demo employee (the 'on target' persona too: one competence is still a
    level short) has a gap that a linked open session covers."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    links = db.session.scalars(sa.select(CourseCompetence)).all()
    keys = {c["key"] for c in load_catalogue_data()["courses"]}
    ours = [link for link in links if link.course.key in keys]
    assert {link.course.key for link in ours} == keys
    assert all(link.demo for link in ours)

    entries = load_demo_data()["people"]
    by_email = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_([p["email"].lower() for p in entries]))
        )
    }
    staff = [u for u in by_email.values() if u.has_role(Role.employee) and u.team_id]
    gaps = assessments.gaps_for([p.id for p in staff])
    people = [p for p in staff if gaps[p.id].in_order()]
    assert people == staff
    readme = {"employee", "manager", "coordinator", "keyperson"}
    assert {
        p["key"] for p in entries if by_email[p["email"].lower()] in people
    } >= readme
    now = utcnow()
    offers = _open_offers(now)
    uncovered = []
    for person in people:
        covered = [
            (course.title, gap.competence_id)
            for gap in gaps[person.id].in_order()
            for course, level in offers.get(gap.competence_id, [])
            if level >= gap.target and course.is_open_to(person.employer_kind)
        ]
        if not covered:
            uncovered.append(person.email)
    assert uncovered == []

    suggested, _loaded = engine.suggestions_for(people, now=now)
    missing = [p.email for p in people if not suggested[p.id]]
    assert missing == []


def test_seeding_again_keeps_a_coordinators_changes(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    link = db.session.scalars(sa.select(CourseCompetence).limit(1)).one()
    link.level, link.demo = 1, False
    db.session.commit()
    count = db.session.scalar(sa.select(sa.func.count(CourseCompetence.id)))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(CourseCompetence.id))) == count
    db.session.refresh(link)
    assert (link.level, link.demo) == (1, False)
