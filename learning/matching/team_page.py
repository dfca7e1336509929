"""A team's shared sessions a page at a time, judged at course level.

Whether a member may take a course and what it does for them (the gaps it
closes, their weight, the reasons, a diploma module) is the same for every
session of the course; a session only adds its price, its dates and whether it
falls on a member's busy day. So each member is judged once a course, and each
session's row for the team is the course's members less those it clashes with:
how many it serves, their weight and their price, without a suggestion for
each member and session (a team of 40 on the national dataset: ~9,000 shared
sessions of ~120,000 member-session pairs). Only the page's sessions are made
into SharedOffers with their members' suggestions. The rows, their order, the
reasons, the total and each member's count are ranking.shared_offers() over
ranking.suggest_many() (tests/learning/matching/test_team_page.py holds them
equal).

The sessions read are those of the courses that can close a member's gap or fit
their diploma (engine.load's suggestable_only), with where every linked course
is held (the page's choice of places). A team page needs them all, unlike one
person's: the total and every member's count are over every session.
"""

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from core.people.models import User
from learning.competences.models import Competence
from learning.matching import engine, ranking
from learning.matching.presenting import Page
from learning.matching.rules import Calendar, session_refusal


@dataclass
class TeamPage:
    """The page of shared sessions, each member's number of suggestions, where
    the sessions of every linked course are held, and the competences named."""

    page: Page | None  # None: the page asked for is past the end
    counts: dict[int, int]
    places: set[str]
    competences: dict[int, Competence]


@dataclass
class _Course:
    """A course's sessions under the filters, and the members it serves (in
    the team's order) as (person, covered, weighted, module)."""

    sessions: list[ranking.Offer]
    members: list[tuple] = field(default_factory=list)
    by_id: dict[int, tuple] = field(default_factory=dict)  # member id -> member
    open_gaps: dict[int, int] = field(default_factory=dict)  # member id -> gaps
    weighted: int = 0  # the members' weights together
    state: int = 0  # members who pay the state's price


def shared_page(
    members: list[User],
    filters: ranking.Filters = ranking.Filters(),  # noqa: B008  (frozen)
    page: int = 1,
    *,
    now: datetime | None = None,
) -> TeamPage:
    """The `page`th page of the sessions that serve two or more members under
    `filters`, most served first (SharedOffer.sort_key)."""
    with ranking.collections_paused():
        loaded = engine.load(members, now=now, suggestable_only=True, places=True)
        courses, clashed, counts = _judge(loaded, filters)
        rows = []
        for course in courses.values():
            if len(course.members) < 2:
                continue
            for offer in course.sessions:
                row = _row(course, offer, clashed.get(offer.course_session_id, ()))
                if row is not None:
                    rows.append(row)
    result = Page([], page, len(rows))
    found = TeamPage(None, counts, loaded.places, loaded.competences)
    if page > result.pages:
        return found
    start = (page - 1) * result.per_page
    # The keys end with the session id, so no two are equal: the first rows of
    # the order without sorting the other ~9,000.
    first = heapq.nsmallest(start + result.per_page, rows, key=lambda row: row[0])
    result.items = [
        _shared(course, offer, clashed.get(offer.course_session_id, ()))
        for _key, course, offer in first[start:]
    ]
    found.page = result
    return found


def _judge(loaded: engine.Loaded, filters: ranking.Filters):
    """Course id -> _Course; session id -> the members of its course whose busy
    day it falls on; member -> how many suggestions they have."""
    bookable = [o for o in loaded.offers if session_refusal(o, loaded.now) is None]
    calendar = Calendar(bookable)
    courses: dict[int, _Course] = {}
    for offer in bookable:
        course = courses.get(offer.course_id)
        if course is None:
            course = courses[offer.course_id] = _Course([])
        if ranking.session_passes(offer, filters):
            course.sessions.append(offer)
    course_of = {
        o.course_session_id: o.course_id for c in courses.values() for o in c.sessions
    }
    # competence -> the courses with sessions that raise it: a member's courses
    # are looked for among those of their open gaps and their diploma's modules
    linked: dict[int, list[int]] = {}
    for course_id, course in courses.items():
        if course.sessions:
            for competence_id, _level in course.sessions[0].links:
                linked.setdefault(competence_id, []).append(course_id)
    clashed: dict[int, set[int]] = {}
    counts: dict[int, int] = {}
    for person in loaded.people.values():
        open_gaps = {g.competence_id: g for g in person.gaps if g.size}
        served = set()
        count = 0
        near = {c for gap in open_gaps for c in linked.get(gap, ())}
        for course_id in near | (person.modules.keys() & courses.keys()):
            course = courses[course_id]
            fit = _fit(person, open_gaps, course, filters)
            if fit is None:
                continue
            served.add(course_id)
            member = (person, *fit)
            course.members.append(member)
            course.by_id[person.person_id] = member
            course.open_gaps[person.person_id] = len(open_gaps)
            course.weighted += fit[1]
            course.state += person.employer_kind == "state"
            count += len(course.sessions)
        if person.busy:
            for sid in calendar.clashing(person.busy):
                if course_of.get(sid) in served:
                    clashed.setdefault(sid, set()).add(person.person_id)
                    count -= 1
        counts[person.person_id] = count
    return courses, clashed, counts


def _fit(person: ranking.Person, open_gaps, course: _Course, filters):
    """ranking.course_fit for a course with sessions under the filters, and the
    area and kind filters; None when the course is not for the person."""
    if not course.sessions:
        return None
    fit = ranking.course_fit(person, open_gaps, course.sessions[0])
    if fit is None or not ranking.covers_chosen(fit[0], open_gaps, filters):
        return None
    return fit


def _price(person: ranking.Person, offer: ranking.Offer) -> Decimal:
    """The member's price (ranking: the state's for state staff, else the
    municipal)."""
    if person.employer_kind == "state":
        return offer.price_state
    return offer.price_municipal


def _row(course: _Course, offer: ranking.Offer, clashed: set[int]):
    """(SharedOffer.sort_key, course, offer) for the session, from its course's
    members less those whose busy day it falls on; None when it serves fewer
    than two."""
    served, weighted = len(course.members), course.weighted
    state, other = course.state, served - course.state
    for pid in clashed:
        person, _covered, member_weight, _module = course.by_id[pid]
        served -= 1
        weighted -= member_weight
        if person.employer_kind == "state":
            state -= 1
        else:
            other -= 1
    if served < 2:
        return None
    total = state * offer.price_state + other * offer.price_municipal
    first = offer.first_day or date.max
    return (-served, -weighted, total, first, offer.course_session_id), course, offer


def _shared(course: _Course, offer: ranking.Offer, clashed) -> ranking.SharedOffer:
    """The session with its members' suggestions, as shared_offers() makes it."""
    members = tuple(
        ranking.Suggestion(
            person.person_id,
            offer,
            covered,
            course.open_gaps[person.person_id],
            _price(person, offer),
            module,
            weighted,
        )
        for person, covered, weighted, module in course.members
        if person.person_id not in clashed
    )
    return ranking.SharedOffer(
        offer,
        members,
        sum(s.weighted for s in members),
        Decimal(sum(s.price for s in members)),
    )
