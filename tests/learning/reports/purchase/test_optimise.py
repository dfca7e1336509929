"""The purchase plan's optimisation on plain data: on small generated instances
the solver's answer is a brute-force search's optimum, never worse than greedy,
and never breaks a rule (budget, seats left, clashes, one seat per person per
course and session). No database and no Flask."""

import ast
import itertools
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import clock
from learning.reports.purchase import optimise
from learning.reports.purchase.optimise import Need, Problem, Seat

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
PRICES = [Decimal(0), Decimal("1500"), Decimal("2500.50"), Decimal("4000")]


@st.composite
def problems(draw, max_seats: int = 10) -> Problem:
    """Up to 3 people, 4 sessions of 3 courses, 3 competences; any seats,
    prices, seats left, clashes and budget."""
    people = range(1, draw(st.integers(1, 3)) + 1)
    competences = range(1, draw(st.integers(1, 3)) + 1)
    needs = []
    for p in people:
        for c in competences:
            if draw(st.booleans()):
                current = draw(st.integers(0, 3))
                target = draw(st.integers(current + 1, 4))
                needs.append(Need(p, c, current, target, draw(st.integers(1, 3))))
    sessions = range(1, draw(st.integers(1, 4)) + 1)
    course_of = {s: draw(st.integers(1, 3)) for s in sessions}
    links = {
        s: tuple(
            (c, draw(st.integers(1, 4))) for c in competences if draw(st.booleans())
        )
        for s in sessions
    }
    pairs = [(p, s) for p in people for s in sessions]
    chosen = draw(
        st.lists(st.sampled_from(pairs), unique=True, max_size=max_seats)
        if pairs
        else st.just([])
    )
    seats = tuple(
        Seat(p, s, course_of[s], draw(st.sampled_from(PRICES)), links[s])
        for p, s in chosen
    )
    clashes = frozenset(
        frozenset(pair)
        for pair in itertools.combinations(sessions, 2)
        if draw(st.integers(0, 3)) == 0
    )
    return Problem(
        tuple(needs),
        seats,
        {s: draw(st.integers(0, 3)) for s in sessions},
        Decimal(draw(st.sampled_from([0, 1500, 4000, 6000, 10_000, 100_000]))),
        clashes,
    )


def brute_force(problem: Problem) -> int:
    """The best gain over every subset of the seats that breaks no rule."""
    best = 0
    for size in range(len(problem.seats) + 1):
        for subset in itertools.combinations(problem.seats, size):
            if not optimise.violations(problem, subset):
                best = max(best, optimise.gain_of(problem, subset))
    return best


@FAST
@given(problems())
def test_the_solver_finds_the_brute_force_optimum(problem):
    best, _greedy = optimise.solve(problem)
    assert best.gain == brute_force(problem)
    assert best.bound == best.gain
    assert best.status in (optimise.OPTIMAL, optimise.EMPTY)


@FAST
@given(problems(max_seats=12))
def test_the_solver_is_never_worse_than_greedy_and_breaks_no_rule(problem):
    best, greedy = optimise.solve(problem)
    assert best.gain >= greedy.gain
    assert optimise.violations(problem, best.seats) == set()
    assert optimise.violations(problem, greedy.seats) == set()
    assert best.cost == sum((s.price for s in best.seats), Decimal(0))
    assert best.cost <= problem.budget
    assert best.gain <= problem.total_gap


def test_a_gap_reached_by_two_courses_is_counted_once():
    need = Need(1, 7, current=1, target=3, priority=2)
    a = Seat(1, 10, 100, Decimal(1000), ((7, 3),))
    b = Seat(1, 11, 101, Decimal(1000), ((7, 3),))
    problem = Problem((need,), (a, b), {10: 1, 11: 1}, Decimal(5000))
    best, greedy = optimise.solve(problem)
    assert best.gain == greedy.gain == 4
    assert len(best.seats) == 1
    assert optimise.gain_of(problem, (a, b)) == 4


def test_a_higher_level_counts_only_the_steps_above_a_lower_one():
    need = Need(1, 7, current=0, target=3, priority=1)
    low = Seat(1, 10, 100, Decimal(0), ((7, 1),))
    high = Seat(1, 11, 101, Decimal(0), ((7, 4),))
    problem = Problem((need,), (low, high), {10: 1, 11: 1}, Decimal(0))
    assert optimise.gain_of(problem, (low,)) == 1
    assert optimise.gain_of(problem, (low, high)) == 3
    best, _greedy = optimise.solve(problem)
    assert best.gain == 3


def test_the_optimum_beats_most_gap_per_krone_where_the_budget_binds():
    """Greedy takes the cheap seat with the best ratio and then cannot afford
    the seat that closes most; the optimum takes the dear one alone."""
    needs = (Need(1, 1, 0, 1, 1), Need(2, 1, 0, 4, 3))
    cheap = Seat(1, 10, 100, Decimal(50), ((1, 1),))
    dear = Seat(2, 11, 101, Decimal(1000), ((1, 4),))
    problem = Problem(needs, (cheap, dear), {10: 1, 11: 1}, Decimal(1000))
    best, greedy = optimise.solve(problem)
    assert (greedy.gain, greedy.cost) == (1, Decimal(50))
    assert (best.gain, best.cost) == (12, Decimal(1000))
    assert best.status == optimise.OPTIMAL


def test_an_empty_problem_gives_an_empty_plan():
    best, greedy = optimise.solve(Problem((), (), {}, Decimal(500_000)))
    assert best.seats == greedy.seats == ()
    assert best.status == optimise.EMPTY
    assert best.gain == best.cost == 0


def test_sessions_clash_when_their_meetings_overlap():
    base = clock.now().replace(microsecond=0) + timedelta(days=30)
    hours = timedelta(hours=1)
    meetings = {
        1: [(base, base + 3 * hours)],
        2: [(base + 2 * hours, base + 4 * hours)],  # overlaps 1
        3: [(base + 4 * hours, base + 5 * hours)],  # touches 2: no clash
        4: [(base - 10 * hours, base - 9 * hours), (base + hours, base + 2 * hours)],
    }
    assert optimise.clashing_pairs(meetings) == {
        frozenset({1, 2}),
        frozenset({1, 4}),
    }


def test_the_optimisation_needs_neither_flask_nor_the_database():
    path = Path(optimise.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tops = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert tops.isdisjoint(
        {"flask", "flask_babel", "sqlalchemy", "core", "courses", "learning"}
    )


@FAST
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5_000),
            st.decimals(
                Decimal("0.01"), Decimal("100000000"), places=2, allow_nan=False
            ),
        ),
        min_size=2,
        max_size=6,
    )
)
def test_greedy_orders_gain_per_krone_as_the_exact_fractions_do(pairs):
    """greedy() compares gain per krone as floats (a third of its time went to
    Fraction); within the sizes it allows them, the order is the exact one."""
    seats = [Seat(1, i, i, price, ((1, 1),)) for i, (_g, price) in enumerate(pairs)]
    problem = Problem((Need(1, 1, 0, 4, 1250),), tuple(seats), {}, Decimal(10**8))
    assert optimise._floats_order(problem, seats)
    keyed = [(gain, seat) for (gain, _p), seat in zip(pairs, seats, strict=True)]
    fast = sorted(keyed, key=lambda p: optimise._greedy_key(*p, exact=False))
    exact = sorted(keyed, key=lambda p: optimise._greedy_key(*p, exact=True))
    assert fast == exact
