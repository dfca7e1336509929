"""Bulk course -> competence links: read a CSV or Excel file, check it against the
catalogue and the framework, preview what changes, apply it all or nothing; and
the export in the same columns.

A course named in the file gets exactly the file's links (others are removed);
courses the file does not name keep theirs.
"""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.db import db
from core.people.models import User
from core.tables import FileFormatError, Problem, read_table
from courses.catalogue.models import Course
from learning.competences import services as framework
from learning.competences.models import Competence
from learning.matching import links
from learning.matching.models import CourseCompetence

MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("kursus", "kursustitel", "kompetence", "kompetencetitel", "niveau")
REQUIRED_COLUMNS = ("kursus", "kompetence", "niveau")
# English headers, and the words a coordinator is likely to type, mean the same.
ALIASES = {
    "course": "kursus",
    "course_title": "kursustitel",
    "competence": "kompetence",
    "competence_code": "kompetence",
    "kompetencekode": "kompetence",
    "competence_title": "kompetencetitel",
    "level": "niveau",
}
ACTIONS = ("new", "changed", "removed", "unchanged")


@dataclass(frozen=True)
class LinkRow:
    row: int
    course: str
    competence: str
    level: int | None  # None when the file's value is not a whole number


@dataclass
class LinkFile:
    """The rows read, and the problems found so far (checked with the rest later,
    so one round names every bad row)."""

    rows: list[LinkRow]
    problems: list[Problem]


@dataclass(frozen=True)
class Change:
    course: Course
    competence: Competence
    before: int | None
    after: int | None

    @property
    def action(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "removed"
        return "unchanged" if self.before == self.after else "changed"


@dataclass
class LinkPlan:
    changes: list[Change] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def summary(self) -> list[tuple[str, int]]:
        return [(action, self.count(action)) for action in ACTIONS]

    @property
    def shown(self) -> list[Change]:
        return [c for c in self.changes if c.action != "unchanged"]


def read(raw: bytes, fmt: str) -> LinkFile:
    """The file's rows as plain data; raises FileFormatError only when the file as
    a whole cannot be read (size, encoding, columns)."""
    if len(raw) > MAX_BYTES:
        raise FileFormatError([Problem(1, "", "too_big")])
    table, problems = read_table(raw, fmt, required=REQUIRED_COLUMNS, aliases=ALIASES)
    rows = []
    for number, values in table:
        course = values["kursus"].strip()
        competence = values["kompetence"].strip()
        level = values["niveau"].strip()
        for column, value in (("kursus", course), ("kompetence", competence)):
            if not value:
                problems.append(Problem(number, column, "missing"))
            elif len(value) > 300:
                problems.append(Problem(number, column, "too_long", value[:80]))
        if _number(level) is None:
            code = "not_a_number" if level else "missing"
            problems.append(Problem(number, "niveau", code, level[:80]))
        rows.append(LinkRow(number, course, competence, _number(level)))
    return LinkFile(rows, problems)


def _number(text: str) -> int | None:
    """A whole number in ASCII digits ('²' and '٣' are digits to str.isdigit)."""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


class _Catalogue:
    """Courses by key, '#id' and title; competences by code."""

    def __init__(self) -> None:
        courses = db.session.scalars(sa.select(Course)).all()
        self.by_id = {c.id: c for c in courses}
        self.by_key = {c.key.casefold(): c for c in courses if c.key}
        self.by_title: dict[str, list[Course]] = {}
        for c in courses:
            self.by_title.setdefault(c.title.strip().casefold(), []).append(c)
        self.competences = {
            c.code.casefold(): c for c in db.session.scalars(sa.select(Competence))
        }

    def course(self, text: str) -> Course | list[Course] | None:
        key = text.casefold()
        if key in self.by_key:
            return self.by_key[key]
        if text.startswith("#") and _number(text[1:]) is not None:
            return self.by_id.get(_number(text[1:]))
        found = self.by_title.get(key, [])
        return found[0] if len(found) == 1 else (found or None)

    def name_of(self, course: Course) -> str:
        """What the export writes: the key, else a unique title, else '#id'."""
        if course.key:
            return course.key
        if len(self.by_title[course.title.strip().casefold()]) == 1:
            return course.title
        return f"#{course.id}"


def _resolve(file: LinkFile, catalogue: _Catalogue):
    """{course id: {competence id: level}}; raises FileFormatError naming every bad
    row, in row order."""
    top = framework.get_scale().top
    existing = _linked_pairs()
    problems, wanted = list(file.problems), {}
    for r in file.rows:
        if not r.course or not r.competence:
            continue
        course = catalogue.course(r.course)
        competence = catalogue.competences.get(r.competence.casefold())
        if isinstance(course, list):
            problems.append(Problem(r.row, "kursus", "ambiguous_course", r.course))
        elif course is None:
            problems.append(Problem(r.row, "kursus", "unknown_course", r.course))
        if competence is None:
            problems.append(
                Problem(r.row, "kompetence", "unknown_competence", r.competence)
            )
        if r.level is not None and not 1 <= r.level <= top:
            problems.append(Problem(r.row, "niveau", "bad_level", str(top)))
        if not isinstance(course, Course) or competence is None:
            continue
        if competence.retired and (course.id, competence.id) not in existing:
            problems.append(Problem(r.row, "kompetence", "retired", competence.code))
        levels = wanted.setdefault(course.id, {})
        if competence.id in levels:
            problems.append(Problem(r.row, "kompetence", "duplicate", competence.code))
        levels[competence.id] = r.level
    if problems:
        raise FileFormatError(sorted(problems, key=lambda p: p.row))
    return wanted


def _linked_pairs() -> set[tuple[int, int]]:
    query = sa.select(CourseCompetence.course_id, CourseCompetence.competence_id)
    return {(a, b) for a, b in db.session.execute(query)}


def _prepare(file: LinkFile):
    catalogue = _Catalogue()
    wanted = _resolve(file, catalogue)
    current = links.links_for(wanted)
    by_id = {c.id: c for c in catalogue.competences.values()}
    result = LinkPlan()
    for course_id, levels in wanted.items():
        before = {link.competence_id: link.level for link in current[course_id]}
        for competence_id in sorted(
            before.keys() | levels.keys(), key=lambda cid: by_id[cid].code
        ):
            result.changes.append(
                Change(
                    catalogue.by_id[course_id],
                    by_id[competence_id],
                    before.get(competence_id),
                    levels.get(competence_id),
                )
            )
    return catalogue, wanted, result


def plan(file: LinkFile) -> LinkPlan:
    """What applying the file would do, link by link; raises FileFormatError."""
    return _prepare(file)[2]


def apply(actor: User | None, file: LinkFile) -> LinkPlan:
    """Apply the whole file or nothing: raises before any change when it has errors."""
    catalogue, wanted, result = _prepare(file)
    by_id = {c.id: c for c in catalogue.competences.values()}
    links.replace_links(actor, catalogue.by_id, wanted, by_id)
    return result


def export_rows() -> list[tuple]:
    """Every link as a row of COLUMNS, by course title and competence code."""
    catalogue = _Catalogue()
    every = db.session.scalars(sa.select(CourseCompetence)).all()
    by_id = {c.id: c for c in catalogue.competences.values()}
    rows = []
    for link in every:
        course, competence = catalogue.by_id[link.course_id], by_id[link.competence_id]
        rows.append(
            (
                catalogue.name_of(course),
                course.title,
                competence.code,
                competence.title,
                link.level,
            )
        )
    return sorted(rows, key=lambda r: (r[1].casefold(), r[0], r[2]))
