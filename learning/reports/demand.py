"""Demand: what a group of people (a team, a jobcentre, a region) misses,
competence by competence, and the sessions that would close it.

The gaps come from the gap engine (learning.assessments: not assessed is no gap,
and is counted apart), the sessions from the matching engine (its offers, its
coverage rule and its audience rule); this module only adds them up. People
with the same gap in a competence (current level, target, priority) are counted
together, so 7,000 people cost little more than reading their ratings.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import NamedTuple

from core.people.models import EmployerKind, User
from learning.assessments import services as assessments
from learning.assessments.gaps import PersonGaps
from learning.competences.models import Competence, CompetenceKind, Layer
from learning.matching import ranking
from learning.matching.open_sessions import LinkedCourse, OpenSession, open_sessions_for

_COMPETENCE = itemgetter(0)  # of a link, (competence id, level)
_CHEAPEST_SOONEST = attrgetter("price_municipal", "first_day", "course_session_id")

# The sessions that close a competence's gap listed for it, those for most people
CLOSING_PER_COMPETENCE = 3

# (current level, target, priority) of one competence -> employer kind -> people
Shapes = dict[tuple[int, int, int], dict[str, list[int]]]


class Member(NamedTuple):
    """What the demand needs of a person: a User will do, or just these two."""

    id: int
    employer_kind: EmployerKind


@dataclass
class CompetenceDemand:
    """One competence across the group: who needs it, who is below, how far."""

    competence: Competence
    required: int = 0  # people whose profiles require it
    below: int = 0  # people rated below the target
    levels: int = 0  # levels missing, summed
    weighted: int = 0  # levels missing times priority, summed: the demand
    not_assessed: int = 0  # people who need it and are not rated in it yet
    shapes: Shapes = field(default_factory=dict, repr=False)


@dataclass
class Bucket:
    """The gaps of one layer (basic, specific) and kind (knowledge, action,
    attitude)."""

    layer: Layer
    kind: CompetenceKind
    competences: int = 0
    below: int = 0  # person-competence pairs below the target
    levels: int = 0
    weighted: int = 0
    not_assessed: int = 0
    people: set[int] = field(default_factory=set, repr=False)  # with a gap here


# A named tuple made without its Python-level __new__ (a third of the time):
# for the ~10,000 sessions of a national jobcentre.
_new = tuple.__new__


class SessionDemand(NamedTuple):
    """An open session whose course closes gaps of the group: for whom, at what
    price. (A tuple, as Closing: a national jobcentre makes thousands of each,
    and a frozen dataclass set each field through object.__setattr__.)"""

    offer: OpenSession
    closes: tuple[int, ...]  # competence ids it closes for somebody
    state: int  # state employees whose gap it closes
    municipal: int  # municipal employees whose gap it closes
    weighted: int  # the priority-weighted levels it closes
    cost: Decimal  # a seat for each of them, each at their employer's price

    @property
    def people(self) -> int:
        return self.state + self.municipal


class Closing(NamedTuple):
    """A session that closes one competence's gap for `people` of the group."""

    offer: OpenSession
    people: int


@dataclass
class Demand:
    people: int
    assessed: int  # people rated in at least one competence they need
    never_assessed: int  # people who need competences and are rated in none
    competences: list[CompetenceDemand]  # most missing first
    buckets: list[Bucket]
    sessions: list[SessionDemand]  # most people helped first
    # competence id -> the CLOSING_PER_COMPETENCE sessions that close it for
    # the most people (cheapest, then soonest, on a tie)
    closing: dict[int, list[Closing]]

    @property
    def missing(self) -> list[CompetenceDemand]:
        """The competences somebody is below the target in, most missing first."""
        return [c for c in self.competences if c.below]

    @property
    def weighted(self) -> int:
        return sum(c.weighted for c in self.competences)

    @property
    def not_assessed(self) -> int:
        return sum(c.not_assessed for c in self.competences)


def demand_for(
    people: Sequence[User | Member],
    *,
    now: datetime | None = None,
    sessions: bool = True,
) -> Demand:
    """The group's demand from the gap engine and, with `sessions`, the open
    sessions that would close it: a fixed number of queries for any group."""
    # A jobcentre's demand makes ~100,000 small objects (offers, shapes, the
    # sessions' reach), none in a cycle: the collections they would start
    # walked the whole process and took 40 % of the report (bench_reports).
    with ranking.collections_paused():
        gaps, competences = assessments.deciding_gaps([p.id for p in people])
        demand = _aggregate(people, gaps, competences)
        if sessions:
            wanted = [c.competence.id for c in demand.competences if c.below]
            found = {c.competence.id: c for c in demand.competences}
            courses, offers = open_sessions_for(wanted, now=now)
            demand.sessions, demand.closing = _sessions(found, courses, offers)
    return demand


def demand_by_group(groups: dict[object, list[User | Member]]) -> dict[object, Demand]:
    """The demand of several groups (a region's jobcentres) without sessions,
    from one reading of everyone's gaps: the queries do not grow with the
    number of groups."""
    everyone = [p for people in groups.values() for p in people]
    with ranking.collections_paused():
        gaps, competences = assessments.deciding_gaps([p.id for p in everyone])
        return {
            key: _aggregate(people, {p.id: gaps[p.id] for p in people}, competences)
            for key, people in groups.items()
        }


def _aggregate(
    people: Sequence[User | Member],
    gaps: dict[int, PersonGaps],
    competences: dict[int, Competence],
) -> Demand:
    kinds = {p.id: p.employer_kind.value for p in people}
    found: dict[int, CompetenceDemand] = {}
    assessed = never = 0
    for person_id, person_gaps in gaps.items():
        assessed += _add_person(found, competences, person_gaps, kinds[person_id])
        never += person_gaps.never_assessed
    ordered = sorted(
        found.values(),
        key=lambda c: (-c.weighted, -c.below, -c.not_assessed, c.competence.code),
    )
    return Demand(
        people=len(people),
        assessed=assessed,
        never_assessed=never,
        competences=ordered,
        buckets=_buckets(ordered, gaps),
        sessions=[],
        closing={},
    )


def _add_person(
    found: dict[int, CompetenceDemand],
    competences: dict[int, Competence],
    person_gaps: PersonGaps,
    kind: str,
) -> bool:
    """Count one person's gaps in; True when they are rated in anything."""
    rated = False
    person_id = person_gaps.person_id
    for item in person_gaps.items:
        demand = found.get(item.competence_id)
        if demand is None:
            demand = found[item.competence_id] = CompetenceDemand(
                competences[item.competence_id]
            )
        demand.required += 1
        if not item.assessed:
            demand.not_assessed += 1
            continue
        rated = True
        if item.gap:
            demand.below += 1
            demand.levels += item.gap
            demand.weighted += item.weighted
            shape = (item.current, item.target, item.priority)
            demand.shapes.setdefault(shape, {}).setdefault(kind, []).append(person_id)
    return rated


def _buckets(
    ordered: list[CompetenceDemand], gaps: dict[int, PersonGaps]
) -> list[Bucket]:
    """The gaps by layer and kind, every combination listed (zeros too)."""
    buckets = {
        (layer, kind): Bucket(layer, kind) for layer in Layer for kind in CompetenceKind
    }
    place = {}
    for demand in ordered:
        c = demand.competence
        bucket = place[c.id] = buckets[(c.layer, c.kind)]
        bucket.competences += 1
        bucket.below += demand.below
        bucket.levels += demand.levels
        bucket.weighted += demand.weighted
        bucket.not_assessed += demand.not_assessed
    for person_gaps in gaps.values():
        for item in person_gaps.items:
            if item.gap:
                place[item.competence_id].people.add(person_gaps.person_id)
    return list(buckets.values())


def _sessions(
    found: dict[int, CompetenceDemand],
    courses: dict[int, LinkedCourse],
    offers: Iterable[OpenSession],
) -> tuple[list[SessionDemand], dict[int, list[Closing]]]:
    """Each session's reach over the group (the matching engine's coverage and
    audience rules, applied once per course), and per competence the sessions
    that close it."""
    reach, closed = {}, {}
    for course in courses.values():
        found_reach = _reach(found, course, closed)
        if found_reach is not None:
            reach[course.course_id] = found_reach
    # Taken cheapest, soonest first, each competence's sessions rank by the
    # people they help (most first, ties kept in this order).
    offers = [o for o in offers if o.course_id in reach]
    offers.sort(key=_CHEAPEST_SOONEST)
    # A course's sessions help the same people: only its first few can be
    # among the few that close a competence for most people.
    firsts: dict[int, list[tuple[int, OpenSession]]] = {}
    # Most people helped first, then most weighted levels, cheapest, soonest.
    ranked = []
    for index, offer in enumerate(offers):
        closes, state, municipal, weighted, _counts = reach[offer.course_id]
        cost = state * offer.price_state + municipal * offer.price_municipal
        ranked.append(
            (
                -state - municipal,
                -weighted,
                cost,
                offer.first_day,
                offer.course_session_id,
                _new(SessionDemand, (offer, closes, state, municipal, weighted, cost)),
            )
        )
        first = firsts.setdefault(offer.course_id, [])
        if len(first) < CLOSING_PER_COMPETENCE:
            first.append((index, offer))
    ranked.sort()  # the session ids differ: the items are never compared
    result = [entry[-1] for entry in ranked]
    candidates: dict[int, list[tuple[int, int, OpenSession]]] = {}
    for course_id, first in firsts.items():
        for competence_id, count in reach[course_id][4]:
            candidates.setdefault(competence_id, []).extend(
                (-count, index, offer) for index, offer in first
            )
    closing = {
        competence_id: [
            Closing(offer, -count)
            for count, _index, offer in sorted(items)[:CLOSING_PER_COMPETENCE]
        ]
        for competence_id, items in candidates.items()
    }
    return result, closing


def _reach(
    found: dict[int, CompetenceDemand], course: LinkedCourse, closed: dict
) -> tuple | None:
    """(the competences it closes, state and municipal people it closes them
    for, weighted, (competence id, people) pairs) for one course's sessions;
    None when it closes nothing for anyone. `closed` keeps the gaps a
    competence's links close across courses: many courses share them."""
    per_competence: dict[int, int] = {}
    people: dict[str, set[int]] = {"state": set(), "municipal": set()}
    weighted = 0
    for competence_id, same in groupby(course.links, key=_COMPETENCE):
        demand = found.get(competence_id)
        if demand is None:
            continue
        links = tuple(same)
        key = (competence_id, links)
        closing = closed.get(key)
        if closing is None:
            closing = closed[key] = _closed(competence_id, demand, links)
        count = 0
        for kind, ids, each in closing:
            if ranking.in_audience(course, kind):
                people[kind].update(ids)
                count += len(ids)
                weighted += each * len(ids)
        if count:
            per_competence[competence_id] = count
    if not per_competence:
        return None
    return (
        tuple(sorted(per_competence)),
        len(people["state"]),
        len(people["municipal"]),
        weighted,
        tuple(per_competence.items()),
    )


def _closed(
    competence_id: int, demand: CompetenceDemand, links: tuple
) -> list[tuple[str, list[int], int]]:
    """(employer kind, people, weighted levels each) of the gaps in one
    competence that these links close (the matching engine's coverage rule)."""
    result = []
    for (current, target, priority), by_kind in demand.shapes.items():
        gap = ranking.Gap(competence_id, current, target, priority)
        covered = ranking.coverage([gap], links)
        if not covered or not covered[0].closes:
            continue
        for kind, ids in by_kind.items():
            result.append((kind, ids, covered[0].weighted))
    return result


def people_behind(
    people: list[User], competence_id: int
) -> tuple[list[tuple[User, object]], list[User]]:
    """The people below the target in one competence (with their gap, largest
    weighted first) and those who need it but are not rated in it yet."""
    gaps, _competences = assessments.deciding_gaps([p.id for p in people])
    below, unrated = [], []
    for person in people:
        for item in gaps[person.id].items:
            if item.competence_id != competence_id:
                continue
            if not item.assessed:
                unrated.append(person)
            elif item.gap:
                below.append((person, item))
    below.sort(key=lambda pair: (-pair[1].weighted, -pair[1].gap, pair[0].name))
    return below, unrated
