"""Ranking offers against gaps: plain data in, ranked suggestions with reasons out.

No database and no Flask: the query layer (learning.matching.engine) loads the
rows, the pages word the reasons. One person, a team and a jobcentre all run
`suggest()`; `shared_offers()` groups many people's suggestions by session.
The values live in values.py, who may take what in rules.py, what a course
raises in coverage.py and a team's shared sessions in shared.py; the names are
read from here.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from learning.matching.coverage import (
    after_courses,
    cover,
    coverage,
    suggestable_courses,
)
from learning.matching.rules import (
    AUDIENCE,
    BOOKED,
    BOTH,
    CLASH,
    CLOSED,
    FULL,
    NOT_OPEN,
    PREREQUISITES,
    STARTED,
    Calendar,
    clashes,
    course_refusal,
    in_audience,
    refusal,
    session_refusal,
)
from learning.matching.shared import SharedOffer, ordered_members, shared_offers
from learning.matching.values import (
    Covered,
    Filters,
    Gap,
    Interval,
    ModuleFit,
    Offer,
    Person,
    Suggestion,
    collections_paused,
    new_suggestion,
)

# The names the rest of the product reads from here, whichever module holds them.
__all__ = [
    "AUDIENCE",
    "BOOKED",
    "BOTH",
    "CLASH",
    "CLOSED",
    "FULL",
    "NOT_OPEN",
    "PREREQUISITES",
    "STARTED",
    "Covered",
    "Filters",
    "Gap",
    "Interval",
    "ModuleFit",
    "Offer",
    "Person",
    "SharedOffer",
    "Suggestion",
    "after_courses",
    "clashes",
    "collections_paused",
    "course_fit",
    "coverage",
    "covers_chosen",
    "in_audience",
    "ordered_members",
    "refusal",
    "session_passes",
    "shared_offers",
    "suggest",
    "suggest_many",
    "suggestable_courses",
]


def session_passes(offer: Offer, f: Filters) -> bool:
    """The filters on the session: a free seat, the month, the place."""
    if f.free_only and offer.seats_left <= 0:
        return False
    if f.month is not None and (
        offer.first_day is None
        or (offer.first_day.year, offer.first_day.month) != f.month
    ):
        return False
    return f.place is None or offer.location.strip().casefold() == f.place.casefold()


def covers_chosen(covered, gaps: Mapping[int, Gap], f: Filters) -> bool:
    """The area and kind filters: the course raises a gap of that area and kind."""
    if f.area_id is None and f.kind is None:
        return True
    return any(
        (f.area_id is None or gaps[c.competence_id].area_id == f.area_id)
        and (f.kind is None or gaps[c.competence_id].kind == f.kind)
        for c in covered
    )


def _passes(suggestion: Suggestion, gaps: Mapping[int, Gap], f: Filters) -> bool:
    return session_passes(suggestion.offer, f) and covers_chosen(
        suggestion.covered, gaps, f
    )


def suggest(
    person: Person,
    offers: Iterable[Offer],
    now: datetime,
    filters: Filters = Filters(),  # noqa: B008  (frozen, so one shared default is safe)
) -> list[Suggestion]:
    """The offers the person may book that close a gap (or fit their diploma),
    best first: priority-weighted levels covered, then price, then first day."""
    return suggest_many([person], offers, now, filters)[person.person_id]


def suggest_many(
    people: Iterable[Person],
    offers: Iterable[Offer],
    now: datetime,
    filters: Filters = Filters(),  # noqa: B008
    *,
    ranked: bool = True,
) -> dict[int, list[Suggestion]]:
    """`suggest()` for many people at once: what is the same for everybody (the
    session's own rules, the calendar) is worked out once. `ranked=False` leaves
    each list unsorted, for callers that regroup them anyway."""
    with collections_paused():
        return _suggest_many(people, offers, now, filters, ranked)


def _suggest_many(people, offers, now, filters, ranked) -> dict[int, list]:
    bookable = [o for o in offers if session_refusal(o, now) is None]
    calendar = Calendar(bookable)
    # Sessions of one course share its links and rules: judged once per course.
    # Each group keeps, by employer kind, (offer, the price for that kind).
    courses: dict[tuple, tuple[list, dict]] = {}
    for o in bookable:
        key = (o.course_id, o.links, o.audience, o.prerequisites)
        group = courses.get(key)
        if group is None:
            group = courses[key] = ([], {"state": [], "municipal": []})
        group[0].append(o)
        group[1]["state"].append((o, o.price_state))
        group[1]["municipal"].append((o, o.price_municipal))
    filtered = filters != Filters()
    make = new_suggestion
    result = {}
    for person in people:
        open_gaps = {g.competence_id: g for g in person.gaps if g.size}
        count, kind, pid = len(open_gaps), person.employer_kind, person.person_id
        busy = calendar.clashing(person.busy) if person.busy else set()
        found: list[Suggestion] = []
        for sessions, priced in courses.values():
            fit = course_fit(person, open_gaps, sessions[0])
            if fit is None:
                continue
            covered, weighted, module = fit
            pairs = priced["state"] if kind == "state" else priced["municipal"]
            made = [
                make(Suggestion, (pid, offer, covered, count, price, module, weighted))
                for offer, price in pairs
                if not busy or offer.course_session_id not in busy
            ]
            if filtered:
                made = [s for s in made if _passes(s, open_gaps, filters)]
            found += made
        if ranked:
            found.sort(key=Suggestion.sort_key)
        result[pid] = found
    return result


def course_fit(person: Person, open_gaps: Mapping[int, Gap], offer: Offer):
    """(covered, weighted, module) when the course closes a gap or fits the
    person's diploma and the person may take it; else None."""
    covered = tuple(cover(open_gaps, offer.links))
    module = person.modules.get(offer.course_id)
    if module is None and not any(c.closes for c in covered):
        return None
    if course_refusal(person, offer) is not None:
        return None
    return covered, sum(c.weighted for c in covered), module
