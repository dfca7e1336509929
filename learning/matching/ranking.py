"""Ranking offers against gaps: plain data in, ranked suggestions with reasons out.

No database and no Flask: the query layer (learning.matching.engine) loads the
rows, the pages word the reasons. One person, a team and a jobcentre all run
`suggest()`; `shared_offers()` groups many people's suggestions by session.
"""

import gc
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from courses.bookings.course_days import overlaps, share_a_day, whole_days

BOTH = "both"
# Why a person may not take an offer; the codes are the booking service's own.
NOT_OPEN, STARTED, CLOSED = "session_not_open", "session_started", "booking_closed"
FULL, AUDIENCE = "session_full", "not_in_audience"
PREREQUISITES, CLASH, BOOKED = "missing_prerequisites", "clash", "already_booked"

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Gap:
    """One assessed competence and its target (unassessed ones are left out)."""

    competence_id: int
    current: int
    target: int
    priority: int
    area_id: int | None = None
    kind: str | None = None

    @property
    def size(self) -> int:
        return max(0, self.target - self.current)


@dataclass(frozen=True)
class ModuleFit:
    """A diploma module the person may take next in their programme."""

    course_id: int
    diploma_id: int
    diploma_title: str
    code: str
    ects: Decimal
    kind: str  # mandatory, elective or final_project


@dataclass(frozen=True)
class Person:
    person_id: int
    employer_kind: str  # "state" or "municipal"
    gaps: tuple[Gap, ...] = ()
    # Courses completed or attended: they meet prerequisites.
    done_course_ids: frozenset[int] = frozenset()
    waived_course_ids: frozenset[int] = frozenset()
    # Courses with an active booking, or done: never suggested again.
    booked_course_ids: frozenset[int] = frozenset()
    # The person's busy time (the booking guards' busy_of(), as whole days):
    # an offer with a meeting on one of its days clashes.
    busy: tuple[Interval, ...] = ()
    modules: Mapping[int, ModuleFit] = field(default_factory=dict)


@dataclass(frozen=True)
class Offer:
    """One course session as the ranking sees it."""

    course_session_id: int
    course_id: int
    audience: str  # "state", "municipal" or "both"
    price_state: Decimal
    price_municipal: Decimal
    capacity: int
    seats_taken: int
    starts_at: datetime | None
    ends_at: datetime | None
    first_day: date | None
    booking_deadline: datetime | None = None
    is_open: bool = True
    waiting_list: bool = True
    links: tuple[tuple[int, int], ...] = ()  # (competence id, level reached)
    prerequisites: frozenset[int] = frozenset()
    # The session's meetings (cancelled ones left out). The loader may leave out
    # those that overlap nobody's busy time: they cannot clash.
    meetings: tuple[Interval, ...] = ()
    location: str = ""

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)

    def price_for(self, employer_kind: str) -> Decimal:
        return self.price_state if employer_kind == "state" else self.price_municipal


@dataclass(frozen=True)
class Filters:
    area_id: int | None = None
    kind: str | None = None
    month: tuple[int, int] | None = None  # (year, month) of the first course day
    place: str | None = None
    free_only: bool = False


@dataclass(frozen=True)
class Covered:
    """A gap the offer raises: from `current` to `reached` (at most the target)."""

    competence_id: int
    current: int
    reached: int
    target: int
    priority: int

    @property
    def levels(self) -> int:
        return self.reached - self.current

    @property
    def weighted(self) -> int:
        return self.levels * self.priority

    @property
    def closes(self) -> bool:
        return self.reached >= self.target


class Suggestion(NamedTuple):
    """One offer for one person; `weighted` is the priority-weighted levels covered.

    A named tuple: a team's page makes one for each member and session (40
    people, 400,000 of them), and a tuple is made without a Python __init__."""

    person_id: int
    offer: Offer
    covered: tuple[Covered, ...]
    open_gaps: int
    price: Decimal
    module: ModuleFit | None = None
    weighted: int = 0

    def sort_key(self) -> tuple:
        offer = self.offer
        return (
            -self.weighted,
            self.price,
            offer.first_day or date.max,
            offer.course_session_id,
        )


_new_suggestion = tuple.__new__


@contextmanager
def collections_paused():
    """The cyclic garbage collector held while a ranking makes its many small
    objects (none of them in a cycle): each collection it would start walks every
    object the process holds and frees nothing, and a team's ranking started so
    many that they took half its time (bench_matching, team of 40: 2.6 s -> 1.2
    s). Collections resume at the end; whoever paused first resumes them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def clashes(offer: Offer, busy: Iterable[Interval]) -> bool:
    """A meeting of the offer falls on a busy course day: the booking guards'
    rule (courses.bookings.course_days), so both refuse the same sessions."""
    return share_a_day(offer.meetings, busy)


def refusal(person: Person, offer: Offer, now: datetime) -> str | None:
    """Why the person may not book the offer now, or None when they may."""
    return (
        _session_refusal(offer, now)
        or _course_refusal(person, offer)
        or (CLASH if clashes(offer, person.busy) else None)
    )


def _session_refusal(offer: Offer, now: datetime) -> str | None:
    """The rules that are the same for everybody."""
    if not offer.is_open:
        return NOT_OPEN
    if offer.starts_at is not None and offer.starts_at <= now:
        return STARTED
    if offer.booking_deadline is not None and now > offer.booking_deadline:
        return CLOSED
    if offer.seats_left <= 0 and not offer.waiting_list:
        return FULL
    return None


class _Calendar:
    """The offers' course days (whole days) sorted by the first, so each
    person's clashes are found by looking only near their own busy days."""

    def __init__(self, offers: Iterable[Offer]):
        timed = sorted(
            (
                (o, tuple(whole_days(*m) for m in o.meetings))
                for o in offers
                if o.meetings
            ),
            key=lambda pair: (min(d[0] for d in pair[1]), pair[0].course_session_id),
        )
        self.starts = [min(d[0] for d in days) for _o, days in timed]
        self.offers = timed
        self.longest = max(
            (
                max(d[1] for d in days) - start
                for start, (_o, days) in zip(self.starts, timed, strict=True)
            ),
            default=None,
        )

    def clashing(self, busy: Iterable[Interval]) -> set[int]:
        """The ids of the sessions with a course day on one of the busy days."""
        result: set[int] = set()
        if self.longest is None:
            return result
        for interval in busy:
            day = whole_days(*interval)
            low = bisect_left(self.starts, day[0] - self.longest)
            high = bisect_left(self.starts, day[1])
            for offer, days in self.offers[low:high]:
                if any(overlaps(d, day) for d in days):
                    result.add(offer.course_session_id)
        return result


def in_audience(offer: Offer, employer_kind: str) -> bool:
    """The course is for staff of this kind of employer ("state", "municipal")."""
    return offer.audience in (BOTH, employer_kind)


def _course_refusal(person: Person, offer: Offer) -> str | None:
    if not in_audience(offer, person.employer_kind):
        return AUDIENCE
    if offer.course_id in person.booked_course_ids:
        return BOOKED
    if offer.course_id not in person.waived_course_ids and not (
        offer.prerequisites <= person.done_course_ids
    ):
        return PREREQUISITES
    return None


def coverage(gaps: Iterable[Gap], links: Iterable[tuple[int, int]]) -> list[Covered]:
    """The open gaps the links raise, each level at most once, up to the target."""
    return _cover({g.competence_id: g for g in gaps if g.size}, links)


def _cover(open_gaps: Mapping[int, Gap], links: Iterable[tuple[int, int]]) -> list:
    reached: dict[int, int] = {}
    for competence_id, level in links:
        gap = open_gaps.get(competence_id)
        if gap is not None and level > gap.current:
            reached[competence_id] = max(level, reached.get(competence_id, level))
    result = []
    for competence_id, level in reached.items():
        gap = open_gaps[competence_id]
        top = min(level, gap.target)
        result.append(
            Covered(competence_id, gap.current, top, gap.target, gap.priority)
        )
    return sorted(result, key=lambda c: (-c.weighted, c.competence_id))


def suggestable_courses(
    gaps: Iterable[Iterable[Gap]],
    links: Mapping[int, Iterable[tuple[int, int]]],
    modules: Mapping[int, Mapping[int, ModuleFit]],
) -> set[int]:
    """The courses suggest() can offer somebody: a link that closes one of their
    open gaps, or a module of their programme. A superset of what suggest()
    finds (it also weighs booked courses, audience, prerequisites and clashes),
    so the sessions of the other courses need not be read."""
    reach: dict[int, list[Gap]] = {}
    for person_gaps in gaps:
        for gap in person_gaps:
            if gap.size:
                reach.setdefault(gap.competence_id, []).append(gap)
    found = {course_id for fits in modules.values() for course_id in fits}
    for course_id, course_links in links.items():
        if course_id in found:
            continue
        for competence_id, level in course_links:
            # _cover and closes: above the current level and at the target.
            if any(
                level > g.current and level >= g.target
                for g in reach.get(competence_id, ())
            ):
                found.add(course_id)
                break
    return found


def after_courses(gaps: Iterable[Gap], links: Iterable[tuple[int, int]]) -> list[Gap]:
    """The gaps left once courses already booked or done have raised them: a level
    those courses cover is not counted again for another session."""
    raised = {c.competence_id: c.reached for c in coverage(gaps, links)}
    return [
        Gap(
            g.competence_id,
            max(g.current, raised.get(g.competence_id, g.current)),
            g.target,
            g.priority,
            g.area_id,
            g.kind,
        )
        for g in gaps
    ]


def _passes(suggestion: Suggestion, gaps: Mapping[int, Gap], f: Filters) -> bool:
    offer = suggestion.offer
    if f.free_only and offer.seats_left <= 0:
        return False
    if f.month is not None and (
        offer.first_day is None
        or (offer.first_day.year, offer.first_day.month) != f.month
    ):
        return False
    if f.place is not None and offer.location.strip().casefold() != f.place.casefold():
        return False
    if f.area_id is not None or f.kind is not None:
        return any(
            (f.area_id is None or gaps[c.competence_id].area_id == f.area_id)
            and (f.kind is None or gaps[c.competence_id].kind == f.kind)
            for c in suggestion.covered
        )
    return True


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
    bookable = [o for o in offers if _session_refusal(o, now) is None]
    calendar = _Calendar(bookable)
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
    make = _new_suggestion
    result = {}
    for person in people:
        open_gaps = {g.competence_id: g for g in person.gaps if g.size}
        count, kind, pid = len(open_gaps), person.employer_kind, person.person_id
        busy = calendar.clashing(person.busy) if person.busy else set()
        found: list[Suggestion] = []
        for sessions, priced in courses.values():
            fit = _course_fit(person, open_gaps, sessions[0])
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


_UNSEEN = object()


def _course_fit(person: Person, open_gaps: Mapping[int, Gap], offer: Offer):
    """(covered, weighted, module) when the course closes a gap or fits the
    person's diploma and the person may take it; else None."""
    covered = tuple(_cover(open_gaps, offer.links))
    module = person.modules.get(offer.course_id)
    if module is None and not any(c.closes for c in covered):
        return None
    if _course_refusal(person, offer) is not None:
        return None
    return covered, sum(c.weighted for c in covered), module


@dataclass(frozen=True)
class SharedOffer:
    """One session and the people it would serve, most helped first."""

    offer: Offer
    members: tuple[Suggestion, ...]
    weighted: int
    total_price: Decimal

    def sort_key(self) -> tuple:
        return (
            -len(self.members),
            -self.weighted,
            self.total_price,
            self.offer.first_day or date.max,
            self.offer.course_session_id,
        )


def shared_offers(
    suggestions: Iterable[Suggestion], *, min_members: int = 2
) -> list[SharedOffer]:
    """Sessions that serve at least `min_members` people, most served first."""
    with collections_paused():
        grouped: dict[int, list[Suggestion]] = {}  # session id -> its people
        for s in suggestions:
            sid = s.offer.course_session_id
            members = grouped.get(sid)
            if members is None:
                grouped[sid] = [s]
            else:
                members.append(s)
        result = [
            SharedOffer(
                members[0].offer,
                tuple(members),
                sum(s.weighted for s in members),
                Decimal(sum(s.price for s in members)),
            )
            for members in grouped.values()
            if len(members) >= min_members
        ]
        result.sort(key=SharedOffer.sort_key)
    return result


def ordered_members(shared: SharedOffer) -> list[Suggestion]:
    """The people a shared session serves, most weighted gap covered first."""
    return sorted(shared.members, key=lambda s: (-s.weighted, s.person_id))
