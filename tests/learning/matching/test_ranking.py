"""The pure ranking: which offers a person may take, in which order, and why;
hypothesis properties over random people and sessions."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.clock import COPENHAGEN, local_date
from core.db import utcnow
from learning.matching.ranking import (
    Filters,
    Gap,
    ModuleFit,
    Offer,
    Person,
    after_courses,
    coverage,
    ordered_members,
    refusal,
    shared_offers,
    suggest,
)

NOW = utcnow().replace(microsecond=0)
DAY = timedelta(days=1)


def offer(n: int = 1, *, links=((1, 3),), days: int = 30, **changes) -> Offer:
    start = NOW + days * DAY
    base = Offer(
        course_session_id=n,
        course_id=100 + n,
        audience="both",
        price_state=Decimal(1000),
        price_municipal=Decimal(1000),
        capacity=10,
        seats_taken=0,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        first_day=start.date(),
        booking_deadline=start - 7 * DAY,
        links=tuple(links),
        meetings=((start, start + timedelta(hours=6)),),
        location="København",
    )
    return replace(base, **changes)


def person(**changes) -> Person:
    gaps = (
        Gap(1, 2, 3, 3, area_id=10, kind="action"),
        Gap(2, 0, 2, 1, area_id=20, kind="knowledge"),
        Gap(3, 4, 3, 2, area_id=20, kind="attitude"),  # above target: no gap
    )
    return replace(Person(7, "municipal", gaps), **changes)


def test_an_offer_that_closes_a_gap_is_suggested_with_what_it_covers():
    (s,) = suggest(person(), [offer(links=((1, 3), (2, 1)))], NOW)
    assert [(c.competence_id, c.current, c.reached) for c in s.covered] == [
        (1, 2, 3),
        (2, 0, 1),
    ]
    assert s.weighted == 3 + 1
    assert s.open_gaps == 2
    assert s.price == Decimal(1000)


def test_an_offer_that_only_raises_a_gap_part_of_the_way_is_not_a_candidate():
    assert suggest(person(), [offer(links=((2, 1),))], NOW) == []


def test_levels_above_the_target_do_not_count():
    (c,) = coverage([Gap(1, 1, 2, 2)], [(1, 4)])
    assert (c.reached, c.levels, c.weighted) == (2, 1, 2)


def test_levels_a_booked_course_covers_count_once():
    gaps = after_courses(person().gaps, [(2, 1)])
    left = {g.competence_id: g.current for g in gaps}
    assert left[2] == 1
    (s,) = suggest(person(gaps=tuple(gaps)), [offer(links=((1, 3), (2, 2)))], NOW)
    assert [(c.competence_id, c.levels) for c in s.covered] == [(1, 1), (2, 1)]


def test_ranked_by_weighted_gap_then_price_then_first_day():
    big = offer(1, links=((1, 3), (2, 2)), price_municipal=Decimal(5000))
    cheap_late = offer(2, days=60, price_municipal=Decimal(0))
    cheap_early = offer(3, days=40, price_municipal=Decimal(0))
    dear = offer(4, days=20, price_municipal=Decimal(900))
    ranked = suggest(person(), [dear, cheap_late, big, cheap_early], NOW)
    assert [s.offer.course_session_id for s in ranked] == [1, 3, 2, 4]


def test_the_price_is_the_one_for_the_persons_employer():
    o = offer(price_state=Decimal(0), price_municipal=Decimal(2500))
    assert suggest(person(employer_kind="state"), [o], NOW)[0].price == 0
    assert suggest(person(), [o], NOW)[0].price == Decimal(2500)


def test_refusals_name_the_booking_rule():
    p = person(
        done_course_ids=frozenset({50}),
        busy=((NOW + 30 * DAY + timedelta(hours=2), NOW + 31 * DAY),),
    )
    assert refusal(p, offer(is_open=False), NOW) == "session_not_open"
    assert refusal(p, offer(days=-1), NOW) == "session_started"
    assert refusal(p, offer(booking_deadline=NOW - DAY), NOW) == "booking_closed"
    full = offer(seats_taken=10, waiting_list=False)
    assert refusal(p, full, NOW) == "session_full"
    assert refusal(p, offer(audience="state"), NOW) == "not_in_audience"
    assert refusal(p, offer(prerequisites=frozenset({51})), NOW) == (
        "missing_prerequisites"
    )
    assert refusal(p, offer(prerequisites=frozenset({50}), days=90), NOW) is None
    assert refusal(p, offer(), NOW) == "clash"
    assert refusal(p, offer(days=90), NOW) is None


def test_a_waiver_lifts_the_prerequisites_of_that_course_only():
    o = offer(prerequisites=frozenset({51}))
    assert refusal(person(waived_course_ids=frozenset({o.course_id})), o, NOW) is None
    assert refusal(person(waived_course_ids=frozenset({51})), o, NOW) is not None


def test_a_full_session_with_a_waiting_list_is_still_suggested():
    (s,) = suggest(person(), [offer(seats_taken=10)], NOW)
    assert s.offer.seats_left == 0
    assert (
        suggest(person(), [offer(seats_taken=10)], NOW, Filters(free_only=True)) == []
    )


def test_the_meetings_decide_a_clash_not_the_days_between_them():
    # Days are Copenhagen days: the course starts at 09:00 there, so its two
    # meetings fall on the first and the third day whatever time the test runs.
    day = local_date(NOW + 30 * DAY)
    start = datetime.combine(day, time(9), tzinfo=COPENHAGEN).astimezone(UTC)
    two_days = offer(
        ends_at=start + 2 * DAY,
        meetings=(
            (start, start + timedelta(hours=6)),
            (start + 2 * DAY - timedelta(hours=6), start + 2 * DAY),
        ),
    )
    between = ((start + DAY, start + DAY + timedelta(hours=3)),)
    assert refusal(person(busy=between), two_days, NOW) is None
    whole = replace(two_days, meetings=((start, start + 2 * DAY),))
    assert refusal(person(busy=between), whole, NOW) == "clash"


def test_courses_already_booked_or_done_are_not_suggested_again():
    o = offer()
    assert suggest(person(booked_course_ids=frozenset({o.course_id})), [o], NOW) == []


def test_a_diploma_module_that_fits_is_suggested_without_a_gap():
    o = offer(links=())
    fit = ModuleFit(o.course_id, 1, "Diplom", "M1", Decimal(10), "elective")
    (s,) = suggest(person(modules={o.course_id: fit}), [o], NOW)
    assert s.module is fit
    assert s.weighted == 0


def test_filters():
    a = offer(1, links=((1, 3),), location="Aarhus")
    b = offer(2, links=((1, 3), (2, 2)), days=70)
    p = person()

    def ids(f):
        return [s.offer.course_session_id for s in suggest(p, [a, b], NOW, f)]

    assert ids(Filters(area_id=20)) == [2]
    assert ids(Filters(kind="action")) == [2, 1]
    assert ids(Filters(kind="attitude")) == []
    month = (b.first_day.year, b.first_day.month)
    assert 2 in ids(Filters(month=month))
    assert 1 not in ids(Filters(month=month))
    assert ids(Filters(place="aarhus")) == [1]


def test_shared_offers_group_people_and_add_up_their_prices():
    o = offer(1, price_state=Decimal(0))
    lone = offer(2, links=((2, 2),))
    state = person(person_id=1, employer_kind="state")
    municipal = person(person_id=2)
    suggestions = suggest(state, [o, lone], NOW) + suggest(municipal, [o], NOW)
    (shared,) = shared_offers(suggestions)
    assert shared.offer == o
    assert [m.person_id for m in ordered_members(shared)] == [1, 2]
    assert shared.total_price == Decimal(1000)
    assert len(shared_offers(suggestions, min_members=1)) == 2


# --- properties ------------------------------------------------------------------

hours = st.integers(min_value=-48, max_value=24 * 60)
gaps = st.lists(
    st.builds(
        Gap,
        competence_id=st.integers(1, 6),
        current=st.integers(0, 4),
        target=st.integers(0, 4),
        priority=st.integers(1, 3),
    ),
    max_size=6,
    unique_by=lambda g: g.competence_id,
)


@st.composite
def offers(draw, n: int) -> Offer:
    start = NOW + timedelta(hours=draw(hours))
    length = timedelta(hours=draw(st.integers(1, 72)))
    deadline = draw(st.none() | hours.map(lambda h: NOW + timedelta(hours=h)))
    capacity = draw(st.integers(0, 3))
    return Offer(
        course_session_id=n,
        course_id=draw(st.integers(1, 8)),
        audience=draw(st.sampled_from(["state", "municipal", "both"])),
        price_state=Decimal(draw(st.integers(0, 3))),
        price_municipal=Decimal(draw(st.integers(0, 3))),
        capacity=capacity,
        seats_taken=draw(st.integers(0, capacity)),
        starts_at=start,
        ends_at=start + length,
        first_day=start.date(),
        meetings=((start, start + length),),
        booking_deadline=deadline,
        is_open=draw(st.booleans()),
        waiting_list=draw(st.booleans()),
        links=tuple(
            draw(
                st.lists(
                    st.tuples(st.integers(1, 6), st.integers(0, 4)),
                    max_size=3,
                    unique_by=lambda link: link[0],
                )
            )
        ),
        prerequisites=frozenset(draw(st.sets(st.integers(1, 8), max_size=2))),
    )


@st.composite
def scenarios(draw):
    busy = []
    for _ in range(draw(st.integers(0, 3))):
        start = NOW + timedelta(hours=draw(hours))
        busy.append((start, start + timedelta(hours=draw(st.integers(1, 30)))))
    who = Person(
        1,
        draw(st.sampled_from(["state", "municipal"])),
        tuple(draw(gaps)),
        done_course_ids=frozenset(draw(st.sets(st.integers(1, 8), max_size=4))),
        waived_course_ids=frozenset(draw(st.sets(st.integers(1, 8), max_size=2))),
        booked_course_ids=frozenset(draw(st.sets(st.integers(1, 8), max_size=2))),
        busy=tuple(busy),
    )
    count = draw(st.integers(0, 12))
    return who, [draw(offers(n)) for n in range(1, count + 1)]


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_a_suggestion_is_always_bookable(scenario):
    who, candidates = scenario
    for s in suggest(who, candidates, NOW):
        o = s.offer
        assert o.is_open
        assert o.starts_at > NOW
        assert o.seats_left > 0 or o.waiting_list
        assert o.booking_deadline is None or o.booking_deadline >= NOW
        assert o.audience in ("both", who.employer_kind)
        assert (
            o.prerequisites <= who.done_course_ids
            or o.course_id in who.waived_course_ids
        )
        assert not any(a < o.ends_at and o.starts_at < b for a, b in who.busy), (
            "clashes with a booking"
        )
        assert any(c.reached >= c.target for c in s.covered)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_input(scenario, rng):
    who, candidates = scenario
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    assert suggest(who, candidates, NOW) == suggest(who, shuffled, NOW)


links = st.lists(
    st.tuples(st.integers(1, 6), st.integers(0, 4)),
    max_size=3,
    unique_by=lambda x: x[0],
)


@settings(max_examples=300, deadline=None)
@given(gaps, st.lists(links, min_size=2, max_size=8), st.integers(0, 7))
def test_covering_strictly_more_weighted_gap_never_ranks_lower(gap_list, link_sets, k):
    # Everything equal but the links: price, first day, rules.
    who = Person(1, "municipal", tuple(gap_list))
    same = [offer(n, links=ls) for n, ls in enumerate(link_sets, start=1)]
    ranked = suggest(who, same, NOW)
    weights = [s.weighted for s in ranked]
    assert weights == sorted(weights, reverse=True)
    # Raising one offer's coverage never moves it down.
    chosen = same[k % len(same)]
    before = [s.offer.course_session_id for s in ranked]
    if chosen.course_session_id not in before:
        return
    better = replace(chosen, links=((g.competence_id, 4) for g in gap_list))
    better = replace(better, links=tuple(better.links))
    after = [
        s.offer.course_session_id
        for s in suggest(who, [better if o is chosen else o for o in same], NOW)
    ]
    n = chosen.course_session_id
    assert after.index(n) <= before.index(n)
