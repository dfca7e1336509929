"""The matching engine reads several kinds of row in one statement: the gaps with
their competences, the offers with their links, busy meetings and places. What
the pages show is what the reads one kind at a time gave."""

import gc
from datetime import UTC, time, timedelta

import pytest

from core.db import db
from courses.bookings import services as bookings
from courses.sessions.models import Meeting
from learning.assessments import services as assessments
from learning.assessments.models import RatingSource
from learning.matching.ranking import collections_paused
from tests.courses.bookings.factories import make_course, make_session
from tests.dates import ahead, at

pytest.importorskip("learning.matching.models")


def test_the_gaps_in_one_statement_are_the_gap_engines(
    small_framework, consultant, create_user, team, rate, count_queries
):
    # B-H1 is in both of the consultant's profiles (targets 2 and 3); later
    # rounds of a source replace earlier ones; S-VK1 is retired below.
    rate(small_framework, consultant, RatingSource.manager, {"B-V1": 1}, day=2)
    rate(small_framework, consultant, RatingSource.agreed, {"B-H1": 2}, day=3)
    rate(small_framework, consultant, RatingSource.self, {"B-V1": 3}, day=4)
    newcomer = create_user("employee", team=team)  # the basic profile, unrated
    small_framework.by_code("S-VK1").retired = True
    db.session.commit()
    people = [consultant.id, newcomer.id]

    with count_queries() as statements:
        gaps, competences = assessments.gaps_and_competences(people)
    assert len(statements) == 1
    expected = assessments.gaps_for(people)
    assert gaps == expected
    by_code = {c.code: c for c in competences.values()}
    assert sorted(by_code) == ["B-A1", "B-H1", "B-V1"]
    assert by_code["B-V1"].area.code == "LAW"  # the areas come along
    mine = {competences[i.competence_id].code: i for i in gaps[consultant.id].items}
    assert (mine["B-V1"].self_level, mine["B-V1"].manager_level) == (3, 1)
    assert (mine["B-H1"].target, mine["B-H1"].current) == (3, 2)
    assert gaps[newcomer.id].never_assessed


def test_the_team_page_offers_every_place_a_linked_course_is_held(
    client, login_as, consultant, link, create_user, team
):
    manager = create_user("manager", team=team)
    team.manager = manager
    db.session.commit()
    make_session(link(make_course(title="Samtaleteknik"), {"B-H1": 3}))
    # Linked to a gap, but below the target: never suggested, its place listed.
    short = make_session(link(make_course(title="Kun lidt lov"), {"B-V1": 2}))
    short.location = "Svendborg"
    db.session.commit()
    login_as(manager)
    html = client.get("/forslag/team").get_data(as_text=True)
    assert '<option value="Svendborg"' in html
    assert '<option value="Jobcenter Aarhus"' in html
    assert "Kun lidt lov" not in html


def test_only_a_meeting_on_a_busy_day_keeps_a_session_out(
    client, login_as, consultant, link
):
    # 09:00 in Copenhagen, so seven hours on is still the same Danish day
    # whatever the time the test runs (from now + 40 days, "Samme dag" fell on
    # the next day when the test ran after 17:00 Copenhagen time).
    busy_day = at(ahead(40), time(9)).astimezone(UTC)
    bookings.book(consultant, make_session(make_course(), start=busy_day))
    db.session.commit()
    # The day before and the day after: its span covers the busy day.
    around = make_session(
        link(make_course(title="Omkring"), {"B-H1": 3}),
        start=busy_day - timedelta(days=1),
    )
    around.meetings.append(
        Meeting(
            starts_at=busy_day + timedelta(days=1),
            ends_at=busy_day + timedelta(days=1, hours=6),
        )
    )
    around.ends_at = busy_day + timedelta(days=1, hours=6)
    make_session(
        link(make_course(title="Samme dag"), {"B-H1": 3}),
        start=busy_day + timedelta(hours=7),
        hours=1,
    )
    db.session.commit()
    login_as(consultant)
    html = client.get("/forslag").get_data(as_text=True)
    assert "Omkring" in html
    assert "Samme dag" not in html


def _fail_while_paused() -> None:
    with collections_paused():
        assert not gc.isenabled()
        raise LookupError("ranking failed")


def test_collections_resume_after_a_ranking_even_when_it_fails():
    assert gc.isenabled()
    with pytest.raises(LookupError, match="ranking failed"):
        _fail_while_paused()
    assert gc.isenabled()
    gc.disable()
    try:  # paused by somebody else first: left to them
        with collections_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
