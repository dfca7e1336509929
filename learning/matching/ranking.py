"""Ranking offers against gaps: plain data in, ranked suggestions with reasons out.

No database and no Flask: the query layer (learning.matching.engine) loads the
rows, the pages word the reasons. One person, a team and a jobcentre all run
`suggest()`; `shared_offers()` groups many people's suggestions by session.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

BOTH = "both"
# Why a person may not take an offer; the codes are the booking service's own.
NOT_OPEN, STARTED, CLOSED = "session_not_open", "session_started", "booking_closed"
FULL, AUDIENCE = "session_full", "not_in_audience"
PREREQUISITES, CLASH, BOOKED = "missing_prerequisites", "clash", "already_booked"

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Gap:
    """One competence below target; `current` counts unrated as 0."""

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
    # Meetings of the sessions the person is requested, offered or confirmed on.
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
    # The session's meetings; when empty, its span stands for them (the loader
    # fills them in wherever the span meets somebody's busy time).
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


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    offer: Offer
    covered: tuple[Covered, ...]
    open_gaps: int
    price: Decimal
    module: ModuleFit | None = None

    @property
    def weighted(self) -> int:
        return sum(c.weighted for c in self.covered)

    def sort_key(self) -> tuple:
        offer = self.offer
        return (
            -self.weighted,
            self.price,
            offer.first_day or date.max,
            offer.course_session_id,
        )


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def clashes(offer: Offer, busy: Iterable[Interval]) -> bool:
    """A meeting of the offer (or its span, when no meetings are given) overlaps."""
    if offer.meetings:
        own = offer.meetings
    elif offer.starts_at and offer.ends_at:
        own = ((offer.starts_at, offer.ends_at),)
    else:
        return False
    return any(overlaps(m, b) for m in own for b in busy)


def refusal(person: Person, offer: Offer, now: datetime) -> str | None:
    """Why the person may not book the offer now, or None when they may."""
    if not offer.is_open:
        return NOT_OPEN
    if offer.starts_at is not None and offer.starts_at <= now:
        return STARTED
    if offer.booking_deadline is not None and now > offer.booking_deadline:
        return CLOSED
    if offer.seats_left <= 0 and not offer.waiting_list:
        return FULL
    if offer.audience != BOTH and offer.audience != person.employer_kind:
        return AUDIENCE
    if offer.course_id in person.booked_course_ids:
        return BOOKED
    if offer.course_id not in person.waived_course_ids and not (
        offer.prerequisites <= person.done_course_ids
    ):
        return PREREQUISITES
    if clashes(offer, person.busy):
        return CLASH
    return None


def coverage(gaps: Iterable[Gap], links: Iterable[tuple[int, int]]) -> list[Covered]:
    """The open gaps the links raise, each level at most once, up to the target."""
    reached: dict[int, int] = {}
    for competence_id, level in links:
        reached[competence_id] = max(level, reached.get(competence_id, level))
    result = []
    for gap in gaps:
        level = reached.get(gap.competence_id)
        if gap.size and level is not None and level > gap.current:
            top = min(level, gap.target)
            result.append(
                Covered(gap.competence_id, gap.current, top, gap.target, gap.priority)
            )
    return sorted(result, key=lambda c: (-c.weighted, c.competence_id))


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
    open_gaps = [g for g in person.gaps if g.size]
    by_id = {g.competence_id: g for g in open_gaps}
    result = []
    for offer in offers:
        covered = tuple(coverage(open_gaps, offer.links))
        module = person.modules.get(offer.course_id)
        if not any(c.closes for c in covered) and module is None:
            continue
        if refusal(person, offer, now) is not None:
            continue
        suggestion = Suggestion(
            person.person_id,
            offer,
            covered,
            len(open_gaps),
            offer.price_for(person.employer_kind),
            module,
        )
        if _passes(suggestion, by_id, filters):
            result.append(suggestion)
    result.sort(key=Suggestion.sort_key)
    return result


@dataclass(frozen=True)
class SharedOffer:
    """One session and the people it would serve."""

    offer: Offer
    members: tuple[Suggestion, ...]

    @property
    def weighted(self) -> int:
        return sum(s.weighted for s in self.members)

    @property
    def total_price(self) -> Decimal:
        return sum((s.price for s in self.members), Decimal(0))

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
    grouped: dict[int, list[Suggestion]] = {}
    offers: dict[int, Offer] = {}
    for s in suggestions:
        grouped.setdefault(s.offer.course_session_id, []).append(s)
        offers[s.offer.course_session_id] = s.offer
    result = [
        SharedOffer(
            offers[sid],
            tuple(sorted(members, key=lambda s: (-s.weighted, s.person_id))),
        )
        for sid, members in grouped.items()
        if len(members) >= min_members
    ]
    return sorted(result, key=SharedOffer.sort_key)
