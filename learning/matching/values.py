"""The ranking's plain values: a person's gaps and what they may take, an offer
(one course session), the filters, and the suggestions made of them. No
database and no Flask."""

import gc
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

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


new_suggestion = tuple.__new__


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
