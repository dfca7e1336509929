"""The purchase plan as a budgeted coverage problem: plain data in, chosen seats
out. No database and no Flask: the service builds the problem from the matching
engine's suggestions, the pages show the answer.

`solve()` is exact: a mixed-integer program solved by HiGHS. One binary per
candidate seat (a person on a session); a person's gap on a competence is closed
at most once, by its own variables: one per level step the person's candidate
sessions reach, each at most 1 and at most the number of chosen seats reaching
it, so two courses raising the same competence count once, up to the target.
`greedy()` is the simple choice beside it (most gap per krone first), under the
same constraints; `violations()` says what a choice breaks.
"""

import heapq
import itertools
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import highspy
import numpy as np

Interval = tuple[datetime, datetime]

OPTIMAL, TIME_LIMIT, EMPTY = "optimal", "time_limit", "empty"
GREEDY = "greedy"
# Of two plans that close the same gap the cheaper is better: the objective
# subtracts the cost, scaled so that the whole budget weighs a quarter level.
PENALTY = 0.25
# The solver stops once its bound is within this of the plan found: then no
# plan closes a whole level more (it would score above gain + 1 - PENALTY),
# so the gain is proven optimal. Proving also that no plan of the same gain
# is cheaper took HiGHS 3 of its 7.7 s on the benchmark's slowest jobcentre,
# for a tie-break: the cost is minimised as far as the search gets, not proven.
ENOUGH = 0.7
# What a choice may break (violations()).
BUDGET, SEATS, CLASH, TWICE, UNKNOWN = "budget", "seats", "clash", "twice", "unknown"


@dataclass(frozen=True)
class Need:
    """One person's assessed gap on one competence, weighted by its priority."""

    person_id: int
    competence_id: int
    current: int
    target: int
    priority: int

    @property
    def weighted(self) -> int:
        return max(0, self.target - self.current) * self.priority


@dataclass(frozen=True)
class Seat:
    """A candidate: one person on one session, at the person's price, and the
    level each competence would reach."""

    person_id: int
    session_id: int
    course_id: int
    price: Decimal
    reaches: tuple[tuple[int, int], ...]  # (competence id, level reached)

    @property
    def key(self) -> tuple[int, int]:
        return (self.person_id, self.session_id)


@dataclass(frozen=True)
class Problem:
    needs: tuple[Need, ...]
    seats: tuple[Seat, ...]
    seats_left: Mapping[int, int]  # session id -> seats that may still be taken
    budget: Decimal
    # Sessions one person cannot attend both of (a meeting overlaps).
    clashes: frozenset[frozenset[int]] = frozenset()

    @property
    def total_gap(self) -> int:
        return sum(n.weighted for n in self.needs)


@dataclass(frozen=True)
class Choice:
    """Chosen seats, their cost and the priority-weighted gap they close.
    `bound` is the most any plan could close, as the solver proved it (equal to
    `gain` when the plan is optimal)."""

    seats: tuple[Seat, ...]
    cost: Decimal
    gain: int
    status: str = OPTIMAL
    bound: int | None = None
    seconds: float = 0.0
    people: frozenset[int] = field(default=frozenset())

    @property
    def proven_gap(self) -> Fraction:
        """How far the plan may be from the optimum, as a share of the bound."""
        if not self.bound:
            return Fraction(0)
        return Fraction(self.bound - self.gain, self.bound)


def clashing_pairs(meetings: Mapping[int, Iterable[Interval]]) -> frozenset:
    """The pairs of sessions with overlapping meetings, found by a sweep over
    the meetings sorted by start."""
    timed = sorted(
        (start, end, sid) for sid, items in meetings.items() for start, end in items
    )
    pairs, active = set(), []
    for start, end, sid in timed:
        active = [(e, s) for e, s in active if e > start]
        pairs.update(frozenset((sid, s)) for _e, s in active if s != sid)
        active.append((end, sid))
    return frozenset(pairs)


def _needs_by_key(problem: Problem) -> dict[tuple[int, int], Need]:
    return {(n.person_id, n.competence_id): n for n in problem.needs}


def gain_of(problem: Problem, seats: Iterable[Seat]) -> int:
    """The priority-weighted levels the seats close, each person's gap on each
    competence counted once, up to its target."""
    needs = _needs_by_key(problem)
    reached: dict[tuple[int, int], int] = {}
    for seat in seats:
        for competence_id, level in seat.reaches:
            key = (seat.person_id, competence_id)
            if key in needs:
                reached[key] = max(reached.get(key, 0), level)
    return sum(
        max(0, min(level, needs[key].target) - needs[key].current) * needs[key].priority
        for key, level in reached.items()
    )


def gain_per_seat(problem: Problem, seats: Iterable[Seat]) -> dict:
    """Each seat's share of gain_of(seats), by (person, session): a level two
    seats reach counts for the first of them, so the shares add up."""
    needs = _needs_by_key(problem)
    reached = {k: n.current for k, n in needs.items()}
    shares = {}
    for seat in seats:
        share = 0
        for competence_id, level in seat.reaches:
            key = (seat.person_id, competence_id)
            if key in needs:
                top = min(level, needs[key].target)
                share += max(0, top - reached[key]) * needs[key].priority
                reached[key] = max(reached[key], top)
        shares[seat.key] = share
    return shares


def violations(problem: Problem, seats: Iterable[Seat]) -> set[str]:
    """What the choice breaks: the budget, a session's seats left, a person's
    clash, a person twice on one course, or a seat that is no candidate."""
    seats = list(seats)
    found = set()
    known = {s.key: s for s in problem.seats}
    if any(known.get(s.key) != s for s in seats):
        found.add(UNKNOWN)
    if sum((s.price for s in seats), Decimal(0)) > problem.budget:
        found.add(BUDGET)
    used: dict[int, int] = {}
    for s in seats:
        used[s.session_id] = used.get(s.session_id, 0) + 1
    if any(n > problem.seats_left.get(sid, 0) for sid, n in used.items()):
        found.add(SEATS)
    by_person: dict[int, list[Seat]] = {}
    for s in seats:
        by_person.setdefault(s.person_id, []).append(s)
    for mine in by_person.values():
        courses = [s.course_id for s in mine]
        if len(set(courses)) < len(courses):
            found.add(TWICE)
        for a, b in itertools.combinations(mine, 2):
            if frozenset((a.session_id, b.session_id)) in problem.clashes:
                found.add(CLASH)
    return found


def _choice(problem: Problem, seats, status: str, bound=None, seconds=0.0) -> Choice:
    seats = tuple(sorted(seats, key=lambda s: (s.session_id, s.person_id)))
    gain = gain_of(problem, seats)
    return Choice(
        seats,
        sum((s.price for s in seats), Decimal(0)),
        gain,
        status,
        gain if bound is None else bound,
        seconds,
        frozenset(s.person_id for s in seats),
    )


def useful_seats(problem: Problem) -> list[Seat]:
    """The seats that close some gap, fit the budget and have a seat to take."""
    needs = _needs_by_key(problem)
    return [
        s
        for s in problem.seats
        if s.price <= problem.budget
        and problem.seats_left.get(s.session_id, 0) > 0
        and any(
            (s.person_id, c) in needs and level > needs[(s.person_id, c)].current
            for c, level in s.reaches
        )
    ]


class _Picked:
    """The state greedy() builds up: what is taken, and what still fits."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.needs = _needs_by_key(problem)
        self.reached = {k: n.current for k, n in self.needs.items()}
        self.cost = Decimal(0)
        self.used: dict[int, int] = {}
        self.sessions: dict[int, set[int]] = {}
        self.courses: set[tuple[int, int]] = set()
        self.seats: list[Seat] = []

    def marginal(self, seat: Seat) -> int:
        total = 0
        for competence_id, level in seat.reaches:
            key = (seat.person_id, competence_id)
            need = self.needs.get(key)
            if need is not None:
                total += max(0, min(level, need.target) - self.reached[key]) * (
                    need.priority
                )
        return total

    def fits(self, seat: Seat) -> bool:
        mine = self.sessions.get(seat.person_id, set())
        return (
            self.cost + seat.price <= self.problem.budget
            and self.used.get(seat.session_id, 0)
            < self.problem.seats_left.get(seat.session_id, 0)
            and (seat.person_id, seat.course_id) not in self.courses
            and not any(
                frozenset((seat.session_id, other)) in self.problem.clashes
                for other in mine
            )
        )

    def take(self, seat: Seat) -> None:
        for competence_id, level in seat.reaches:
            key = (seat.person_id, competence_id)
            if key in self.reached:
                self.reached[key] = max(self.reached[key], level)
        self.cost += seat.price
        self.used[seat.session_id] = self.used.get(seat.session_id, 0) + 1
        self.sessions.setdefault(seat.person_id, set()).add(seat.session_id)
        self.courses.add((seat.person_id, seat.course_id))
        self.seats.append(seat)


def _greedy_key(gain: int, seat: Seat, exact: bool) -> tuple:
    """Most gap per krone first (free seats before any paid one), then the
    larger gain, then the lower ids, so the choice is the same every time.

    A float ratio orders gains per krone as the exact fractions do while gain
    times price in øre stays below 2**50 (two different fractions then differ
    by far more than a float's rounding); beyond that, Fraction (3x slower:
    the key was most of greedy's time). The float is the division of two exact
    integers, gain and øre, which Python rounds correctly, so equal fractions
    give the same float (1 / 0.01 kr. and 1851 / 18.51 kr. both 100.0; through
    float(price) the second came out a rounding below, and the tie went the
    other way than the exact order)."""
    if seat.price == 0:
        ratio = (0, -gain)
    elif exact:
        ratio = (1, -Fraction(gain) / Fraction(seat.price))
    else:
        ratio = (1, -(gain * 100) / int(seat.price * 100))
    return (*ratio, -gain, seat.session_id, seat.person_id)


def _floats_order(problem: Problem, seats: list[Seat]) -> bool:
    most_gain = sum(n.weighted for n in problem.needs)
    dearest = max((s.price for s in seats), default=Decimal(0))
    return most_gain * int(dearest * 100 + 1) < 2**50 and all(
        s.price == s.price.quantize(Decimal("0.01")) for s in seats
    )


def greedy(problem: Problem) -> Choice:
    """Take the seat with the most gap closed per krone, as long as it fits,
    counting only what earlier seats have not closed already."""
    picked = _Picked(problem)
    heap = []
    seats = useful_seats(problem)
    exact = not _floats_order(problem, seats)
    for seat in seats:
        gain = picked.marginal(seat)
        heap.append((_greedy_key(gain, seat, exact), gain, seat))
    heapq.heapify(heap)
    # A seat's gain only falls as others are taken, and a seat that no longer
    # fits never fits again: each is looked at again only when its gain fell.
    while heap:
        _key, gain, seat = heapq.heappop(heap)
        now = picked.marginal(seat)
        if now <= 0:
            continue
        if now < gain:
            heapq.heappush(heap, (_greedy_key(now, seat, exact), now, seat))
        elif picked.fits(seat):
            picked.take(seat)
    return _choice(problem, picked.seats, GREEDY)


def _steps(problem: Problem, seats: list[Seat]) -> list[tuple[int, list[int]]]:
    """Each person's gap per competence as level steps: (weight, the indices of
    the seats reaching the step). A step closes at most once, however many
    chosen seats reach it."""
    needs = _needs_by_key(problem)
    reaching: dict[tuple[int, int], dict[int, int]] = {}
    for i, seat in enumerate(seats):
        for competence_id, level in seat.reaches:
            need = needs.get((seat.person_id, competence_id))
            if need is None or level <= need.current:
                continue
            top = min(level, need.target)
            mine = reaching.setdefault((seat.person_id, competence_id), {})
            mine[i] = max(mine.get(i, 0), top)
    steps = []
    for key, by_seat in reaching.items():
        need = needs[key]
        below = need.current
        for level in sorted(set(by_seat.values())):
            members = [i for i, top in by_seat.items() if top >= level]
            steps.append(((level - below) * need.priority, members))
            below = level
    return steps


class _Rows:
    """Constraint rows in the compressed form HiGHS reads."""

    def __init__(self):
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, columns: Iterable[int], values: Iterable[float], upper: float):
        self.starts.append(len(self.index))
        self.index.extend(columns)
        self.value.extend(values)
        self.upper.append(upper)


def _seat_rows(problem: Problem, seats: list[Seat], rows: _Rows) -> None:
    """Budget, seats left per session, one seat per person per course, clashes."""
    # Prices have at most two decimals, so a sum within half an øre of the
    # budget is within it; the exact sum is checked again after the solve.
    rows.add(range(len(seats)), [float(s.price) for s in seats], float(problem.budget))
    rows.upper[-1] += 0.005
    by_session: dict[int, list[int]] = {}
    by_course: dict[tuple[int, int], list[int]] = {}
    by_person: dict[int, list[int]] = {}
    for i, s in enumerate(seats):
        by_session.setdefault(s.session_id, []).append(i)
        by_course.setdefault((s.person_id, s.course_id), []).append(i)
        by_person.setdefault(s.person_id, []).append(i)
    for sid, members in by_session.items():
        if len(members) > problem.seats_left[sid]:
            rows.add(members, [1.0] * len(members), problem.seats_left[sid])
    for members in by_course.values():
        if len(members) > 1:
            rows.add(members, [1.0] * len(members), 1)
    # Each clashing pair once a person, from the pairs (a few hundred) rather
    # than every pair of the person's seats (tens of thousands).
    clashing: dict[int, list[int]] = {}
    for pair in problem.clashes:
        a, b = sorted(pair)
        clashing.setdefault(a, []).append(b)
    for members in by_person.values():
        mine = {seats[i].session_id: i for i in members}
        for i in members:
            for other in clashing.get(seats[i].session_id, ()):
                j = mine.get(other)
                if j is not None and seats[i].course_id != seats[j].course_id:
                    rows.add(sorted((i, j)), (1.0, 1.0), 1)


def _start(problem: Problem, seats: list[Seat], steps, start: Choice) -> list[float]:
    """The greedy choice as the solver's first plan, so it never does worse."""
    chosen = {s.key for s in start.seats}
    x = [1.0 if s.key in chosen else 0.0 for s in seats]
    z = [min(1.0, sum(x[i] for i in members)) for _w, members in steps]
    return x + z


def solve(problem: Problem, *, time_limit: float = 10.0) -> tuple[Choice, Choice]:
    """(the optimum, or the best plan found within `time_limit` seconds with the
    proven bound; the greedy choice), both under the same constraints. The
    limit covers the whole call: greedy and building the model count too."""
    began = time.perf_counter()
    start = greedy(problem)
    seats = useful_seats(problem)
    if not seats:
        return _choice(problem, (), EMPTY, 0), start
    steps = _steps(problem, seats)
    n, m = len(seats), len(steps)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # Gains are whole numbers and the cost counts less than PENALTY: a gap
    # of ENOUGH proves the gain optimal.
    h.setOptionValue("mip_abs_gap", ENOUGH)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    per_krone = PENALTY / (float(problem.budget) + 1)
    costs = [-float(s.price) * per_krone for s in seats]
    costs += [float(w) for w, _members in steps]
    empty_i, empty_f = np.array([], dtype=np.int32), np.array([], dtype=np.float64)
    h.addCols(
        n + m,
        np.array(costs),
        np.zeros(n + m),
        np.ones(n + m),
        0,
        empty_i,
        empty_i,
        empty_f,
    )
    h.changeColsIntegrality(
        n,
        np.arange(n, dtype=np.int32),
        np.array([highspy.HighsVarType.kInteger] * n),
    )
    rows = _Rows()
    _seat_rows(problem, seats, rows)
    for j, (_w, members) in enumerate(steps):
        rows.add([n + j, *members], [1.0] + [-1.0] * len(members), 0.0)
    h.addRows(
        len(rows.upper),
        np.full(len(rows.upper), -highspy.kHighsInf),
        np.array(rows.upper, dtype=np.float64),
        len(rows.index),
        np.array(rows.starts, dtype=np.int32),
        np.array(rows.index, dtype=np.int32),
        np.array(rows.value, dtype=np.float64),
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    first = highspy.HighsSolution()
    first.col_value = _start(problem, seats, steps, start)
    first.value_valid = True
    h.setSolution(first)
    spent = time.perf_counter() - began
    h.setOptionValue("time_limit", max(0.0, float(time_limit) - spent))
    h.run()
    return _read(problem, seats, h, start), start


def _read(problem: Problem, seats: list[Seat], h, start: Choice) -> Choice:
    status = h.getModelStatus()
    info = h.getInfo()
    seconds = h.getRunTime()
    values = h.getSolution().col_value if info.primal_solution_status else []
    chosen = [s for s, v in zip(seats, values, strict=False) if v > 0.5]
    if status == highspy.HighsModelStatus.kOptimal:
        kind, bound = OPTIMAL, None
    else:
        # The bound is on whole numbers: round down what the solver proved.
        proved = info.mip_dual_bound
        trivial = sum(w for w, _members in _steps(problem, seats))
        # The cost weighs at most PENALTY: no plan closes more than this.
        bound = int(proved + PENALTY + 1e-6) if np.isfinite(proved) else trivial
        kind, bound = TIME_LIMIT, min(bound, trivial)
    best = _choice(problem, chosen, kind, bound, seconds)
    if violations(problem, best.seats) or best.gain < start.gain:
        # Never show a plan that breaks a rule, nor one worse than greedy.
        return _choice(problem, start.seats, kind, max(bound or 0, start.gain), seconds)
    if bound is not None and bound < best.gain:
        return _choice(problem, best.seats, kind, best.gain, seconds)
    return best
