"""Read models for the pages: one person's profile, and heat maps of many people.

Each loads with a fixed number of queries, whatever the number of people.
"""

from dataclasses import dataclass, field
from itertools import groupby

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import joinedload, lazyload

from core.db import db
from core.people.models import OrgUnit, UnitKind, User
from core.people.services import managed_team_ids
from learning.assessments import services
from learning.assessments.gaps import CompetenceGap, PersonGaps
from learning.assessments.models import Rating, RatingSource
from learning.competences import services as framework
from learning.competences.models import (
    Competence,
    CompetenceKind,
    Layer,
    Profile,
    Scale,
)

KIND_ORDER = {kind: n for n, kind in enumerate(CompetenceKind)}
LAYER_ORDER = {layer: n for n, layer in enumerate(Layer)}


def competence_order(c: Competence) -> tuple:
    return (LAYER_ORDER[c.layer], KIND_ORDER[c.kind], c.area.title, c.code)


@dataclass
class Row:
    competence: Competence
    gap: CompetenceGap


@dataclass
class ProfileOverview:
    person: User
    profiles: list[Profile]
    scale: Scale
    gaps: PersonGaps
    competences: dict[int, Competence]

    @property
    def rows(self) -> list[Row]:
        rows = [Row(self.competences[g.competence_id], g) for g in self.gaps.items]
        return sorted(rows, key=lambda r: competence_order(r.competence))

    def grouped(self) -> list[tuple[CompetenceKind, list[tuple[object, list[Row]]]]]:
        """Rows by kind, then by area: the order of the self-assessment page."""
        rows = sorted(
            self.rows,
            key=lambda r: (
                KIND_ORDER[r.competence.kind],
                r.competence.area.title,
                r.competence.area_id,
                r.competence.code,
            ),
        )
        result = []
        for kind, in_kind in groupby(rows, key=lambda r: r.competence.kind):
            areas = [
                (area, list(in_area))
                for area, in_area in groupby(in_kind, key=lambda r: r.competence.area)
            ]
            result.append((kind, areas))
        return result

    def by_area(self) -> list[tuple[object, list[Row]]]:
        """Rows per area, areas by title: the sections of the assessment pages."""
        rows = sorted(
            self.rows,
            key=lambda r: (
                r.competence.area.title,
                r.competence.area_id,
                *competence_order(r.competence),
            ),
        )
        return [
            (area, list(in_area))
            for area, in_area in groupby(rows, key=lambda r: r.competence.area)
        ]

    @property
    def gaps_in_order(self) -> list[Row]:
        return [Row(self.competences[g.competence_id], g) for g in self.gaps.in_order()]

    @property
    def talk_topics(self) -> list[Row]:
        return [
            Row(self.competences[g.competence_id], g) for g in self.gaps.talk_topics
        ]


def profile_overview(
    person: User, rating_rows: list | None = None, scale: Scale | None = None
) -> ProfileOverview:
    """Everything the profile and assessment pages show about one person; given
    the person's `rating_rows` (the gap engine's rows: ratings_and_comments,
    history.rating_history), the gaps are read from them rather than from the
    ratings a second time, and given the `scale`, it is not read again."""
    profiles = framework.profiles_of(person)
    profile_ids = {person.id: {p.id for p in profiles}}
    targets, named, _basic = services.targets_and_competences()
    if rating_rows is None:
        gaps = services.gaps_for([person.id], profile_ids, targets)[person.id]
    else:
        gaps = services.gaps_from_rows(profile_ids, rating_rows, targets)[person.id]
    competences = {g.competence_id: named[g.competence_id] for g in gaps.items}
    return ProfileOverview(
        person=person,
        profiles=profiles,
        scale=scale or framework.get_scale(),
        gaps=gaps,
        competences=competences,
    )


def ratings_and_comments(
    person: User, source: RatingSource
) -> tuple[list[tuple], dict[int, str]]:
    """The person's ratings as the gap engine reads them (person, competence,
    source, level; oldest first), and the comment of the newest rating of
    `source` per competence: one statement for the assessment page instead of
    two."""
    rows = db.session.execute(
        sa.select(
            Rating.person_id,
            Rating.competence_id,
            sa.type_coerce(Rating.source, sa.String),
            Rating.level,
            Rating.comment,
        )
        .where(Rating.person_id == person.id)
        .order_by(Rating.rated_at, Rating.id)
    ).all()
    comments = {
        competence_id: comment
        for _person, competence_id, rated_as, _level, comment in rows
        if rated_as == source.value
    }
    return [tuple(row[:4]) for row in rows], comments


@dataclass
class HeatMap:
    people: list[User]
    columns: list[Competence]
    gaps: dict[int, PersonGaps]
    cells: dict[int, dict[int, CompetenceGap]] = field(default_factory=dict)
    _rendered: dict = field(default_factory=dict, repr=False)
    _summaries: dict = field(default_factory=dict, repr=False)

    def column_totals(self) -> dict[int, int]:
        totals = dict.fromkeys((c.id for c in self.columns), 0)
        for row in self.cells.values():
            for cid, cell in row.items():
                totals[cid] += cell.gap
        return totals

    def people_with_gap(self) -> dict[int, int]:
        counts = dict.fromkeys((c.id for c in self.columns), 0)
        for row in self.cells.values():
            for cid, cell in row.items():
                counts[cid] += 1 if cell.gap else 0
        return counts

    def areas(self) -> list[tuple[object, list[Competence]]]:
        """The columns in runs of one area each: the heat map's header groups."""
        return [
            (area, list(columns))
            for area, columns in groupby(self.columns, key=lambda c: c.area)
        ]

    def not_assessed(self, person_id: int) -> bool:
        """No rating at all yet: shown apart, never as the largest gap."""
        return self._summary(person_id)[0]

    def total(self, person_id: int) -> int:
        """The person's weighted gap (PersonGaps.total)."""
        return self._summary(person_id)[1]

    def _summary(self, person_id: int) -> tuple[bool, int, int]:
        """(never assessed, total, largest) of the person's gaps, worked out once
        each: the sort, the rows and the invitations all ask (issue 19)."""
        found = self._summaries.get(person_id)
        if found is None:
            g = self.gaps[person_id]
            found = self._summaries[person_id] = (g.never_assessed, g.total, g.largest)
        return found

    def never_assessed_people(self) -> list[User]:
        """The people nobody has rated yet, by name: to be invited to assess."""
        found = [p for p in self.people if self.not_assessed(p.id)]
        return sorted(found, key=lambda p: (p.name.lower(), p.id))

    def cell_texts(self) -> dict[tuple[int | None, int], str]:
        """What each cell says in words (its title, and to a screen reader), by
        (current level, target), the current level None where nobody has rated
        it: formatted once each, since a jobcentre's map has thousands of cells
        and a few dozen different texts."""
        texts: dict[tuple[int | None, int], str] = {}
        for row in self.cells.values():
            for cell in row.values():
                key = (cell.current, cell.target)
                if key in texts:
                    continue
                if cell.current is None:
                    texts[key] = ", ".join(
                        (_("not assessed"), _("target %(target)d", target=cell.target))
                    )
                else:
                    texts[key] = _(
                        "current %(current)s, target %(target)d",
                        current=cell.current,
                        target=cell.target,
                    )
        return texts

    def row_cells(self, person_id: int, cell) -> Markup:
        """A person's cells in column order, each kind of cell rendered once by
        the template's macro `cell` (called with the kind: None for not
        required, else (current level or None, target, gap)) and repeated: a
        jobcentre's map has thousands of cells and a few dozen kinds."""
        rendered = self._rendered.get(id(cell))
        if rendered is None:
            rendered = self._rendered[id(cell)] = {}
        row = self.cells[person_id]
        parts = []
        for column in self.columns:
            found = row.get(column.id)
            kind = None if found is None else (found.current, found.target, found.gap)
            markup = rendered.get(kind)
            if markup is None:
                markup = rendered[kind] = Markup(cell(kind))
            parts.append(markup)
        return Markup("".join(parts))

    def most_missing(self) -> list[tuple[Competence, int, int]]:
        """(competence, people below target, levels missing), most missing first."""
        totals, counts = self.column_totals(), self.people_with_gap()
        rows = [(c, counts[c.id], totals[c.id]) for c in self.columns if totals[c.id]]
        return sorted(rows, key=lambda r: (-r[2], -r[1], r[0].code))


def heat_map(people: list[User], *, sort: str = "gap") -> HeatMap:
    """People by competences; rows sorted by total weighted gap, by name, or by the
    gap in one competence ('c<id>')."""
    gaps, competences = services.latest_gaps([p.id for p in people])
    # Grouped by area, so 55 columns read as a few labelled groups.
    columns = sorted(
        competences.values(),
        key=lambda c: (c.area.title, c.area_id, *competence_order(c)),
    )
    cells = {
        pid: {item.competence_id: item for item in g.items} for pid, g in gaps.items()
    }
    result = HeatMap(people, columns, gaps, cells)
    result.people = sort_people(result, sort)
    return result


def sort_people(result: HeatMap, sort: str) -> list[User]:
    by_name = sorted(result.people, key=lambda p: (p.name.lower(), p.id))
    if sort == "name":
        return by_name
    if sort.startswith("c") and sort[1:].isdigit():
        cid = int(sort[1:])

        def cell_gap(p: User) -> int:
            cell = result.cells[p.id].get(cid)
            return cell.weighted if cell else -1

        return sorted(by_name, key=lambda p: -cell_gap(p))
    summary = result._summary
    return sorted(
        by_name,
        key=lambda p: (summary(p.id)[0], -summary(p.id)[1], -summary(p.id)[2]),
    )


def team_members(team: OrgUnit) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.team_id == team.id, User.active.is_(True))
            .options(joinedload(User.team), lazyload(User.role_rows))
            .order_by(User.name)
        )
    )


def jobcentre_members(jobcentre: OrgUnit) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(OrgUnit, User.team_id == OrgUnit.id)
            .where(OrgUnit.parent_id == jobcentre.id, User.active.is_(True))
            .options(joinedload(User.team), lazyload(User.role_rows))
            .order_by(User.name)
        )
    )


def led_teams(user: User, *, everyone: bool = False) -> list[OrgUnit]:
    """Teams the user leads (or, for admins, every team), with their jobcentre."""
    stmt = sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.team)
    if not everyone:
        stmt = stmt.where(OrgUnit.id.in_(managed_team_ids(user)))
    return list(
        db.session.scalars(
            stmt.options(joinedload(OrgUnit.parent)).order_by(OrgUnit.name)
        )
    )
