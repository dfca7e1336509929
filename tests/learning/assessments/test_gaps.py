"""Current level (agreed > manager > self), gaps weighted by priority, talk topics."""

import pytest

from core.db import db
from learning.assessments import services
from learning.assessments.gaps import (
    Target,
    compute_gaps,
    current_level,
    gap_size,
    is_talk_topic,
    latest_levels,
    merge_targets,
)
from learning.assessments.models import AppendOnlyError, Rating, RatingSource
from learning.assessments.signals import assessment_saved
from learning.competences import services as framework
from learning.competences.models import Layer

S, M, A = RatingSource.self, RatingSource.manager, RatingSource.agreed


@pytest.mark.parametrize(
    ("own", "manager", "agreed", "expected"),
    [
        (None, None, None, None),
        (2, None, None, 2),
        (2, 4, None, 4),
        (2, 4, 3, 3),
        (None, None, 0, 0),
        (4, 0, None, 0),
        (None, 1, None, 1),
    ],
)
def test_current_level_prefers_agreed_then_manager_then_self(
    own, manager, agreed, expected
):
    assert current_level(own, manager, agreed) == expected


@pytest.mark.parametrize(
    ("target", "current", "expected"),
    [(3, 1, 2), (3, 3, 0), (2, 4, 0), (3, None, 0), (0, None, 0), (3, 0, 3)],
)
def test_gap_is_never_negative_and_unassessed_is_no_gap(target, current, expected):
    assert gap_size(target, current) == expected


@pytest.mark.parametrize(
    ("own", "manager", "flagged"),
    [
        (1, 3, True),
        (4, 2, True),
        (1, 2, False),
        (3, 3, False),
        (None, 4, False),
        (0, 4, True),
    ],
)
def test_a_difference_of_two_levels_is_a_talk_topic(own, manager, flagged):
    assert is_talk_topic(own, manager) is flagged


def test_later_rows_replace_earlier_ones_per_source():
    rows = [
        (1, 10, S, 1),
        (1, 10, M, 2),
        (1, 10, S, 3),
        (2, 10, "agreed", 4),
        (1, 10, "self", 2),
    ]
    assert latest_levels(rows) == {(1, 10): [2, 2, None], (2, 10): [None, None, 4]}


def test_the_latest_dated_rating_wins_even_when_entered_later(
    small_framework, create_user, rate
):
    fw = small_framework
    person = create_user("employee")
    rate(fw, person, S, {"B-V1": 3}, day=9)
    rate(fw, person, S, {"B-V1": 1}, day=2)  # an older paper round, typed in later
    gaps = services.gaps_for([person.id])[person.id]
    item = next(i for i in gaps.items if i.competence_id == fw.by_code("B-V1").id)
    assert item.self_level == 3


def test_targets_of_several_profiles_merge_to_the_highest():
    reqs = {
        1: [Target(5, 2, 1, Layer.basic)],
        2: [Target(5, 3, 2, Layer.basic), Target(6, 1, 1, Layer.specific)],
    }
    assert merge_targets([1, 2], reqs) == [
        Target(5, 3, 2, Layer.basic),
        Target(6, 1, 1, Layer.specific),
    ]


def test_compute_gaps_weights_by_priority_and_sums_per_layer():
    reqs = {
        1: [Target(5, 3, 3, Layer.basic), Target(6, 2, 1, Layer.basic)],
        2: [Target(7, 4, 2, Layer.specific)],
    }
    rows = [(9, 5, S, 1), (9, 5, M, 2), (9, 6, S, 4), (9, 7, M, 0)]
    result = compute_gaps({9: {1, 2}}, reqs, rows)[9]
    by_id = {item.competence_id: item for item in result.items}
    assert (by_id[5].current, by_id[5].gap, by_id[5].weighted) == (2, 1, 3)
    assert (by_id[6].gap, by_id[7].gap, by_id[7].weighted) == (0, 4, 8)
    sums = result.by_layer()
    assert sums[Layer.basic] == {"gap": 1, "weighted": 3, "count": 1}
    assert sums[Layer.specific] == {"gap": 4, "weighted": 8, "count": 1}
    assert result.total == 11
    assert [i.competence_id for i in result.in_order()] == [7, 5]


def test_a_competence_nobody_rated_is_not_assessed_rather_than_a_gap():
    reqs = {1: [Target(5, 3, 3, Layer.basic), Target(6, 2, 1, Layer.basic)]}
    rated, new = compute_gaps({9: {1}, 10: {1}}, reqs, [(9, 5, S, 2)]).values()
    assert [(i.competence_id, i.assessed, i.gap) for i in rated.items] == [
        (5, True, 1),
        (6, False, 0),
    ]
    assert [i.competence_id for i in rated.unassessed] == [6]
    assert (rated.never_assessed, new.never_assessed) == (False, True)
    assert (new.total, new.largest, new.in_order()) == (0, 0, [])


def test_gaps_from_the_database_follow_profiles_and_rounds(
    small_framework, create_user, rate
):
    fw = small_framework
    person = create_user("employee")
    framework.set_user_profiles(None, person, [fw.consultant])
    manager = create_user("manager")
    rate(fw, person, S, {"B-V1": 1, "B-H1": 3, "S-VK1": 3}, day=1)
    rate(fw, person, S, {"B-V1": 2}, day=5)
    rate(fw, person, M, {"B-H1": 1, "S-VK1": 1}, by=manager, day=6)
    rate(fw, person, A, {"S-VK1": 2}, by=manager, day=7)

    gaps = services.gaps_for([person.id])[person.id]
    by_code = {
        fw.competences[[c.id for c in fw.competences].index(i.competence_id)].code: i
        for i in gaps.items
    }
    assert set(by_code) == {"B-V1", "B-H1", "B-A1", "S-VK1"}
    assert (by_code["B-V1"].current, by_code["B-V1"].gap) == (2, 1)
    assert (by_code["B-H1"].current, by_code["B-H1"].target) == (1, 3)
    assert by_code["B-H1"].talk_topic is True
    assert (by_code["S-VK1"].current, by_code["S-VK1"].talk_topic) == (2, True)
    assert (by_code["B-A1"].current, by_code["B-A1"].gap) == (None, 0)
    assert not by_code["B-A1"].assessed


def test_a_retired_competence_leaves_the_gaps_but_keeps_its_ratings(
    small_framework, create_user, rate
):
    fw = small_framework
    person = create_user("employee")
    rate(fw, person, S, {"B-A1": 1})
    assert framework.remove_competence(None, fw.by_code("B-A1")) is False
    db.session.commit()
    gaps = services.gaps_for([person.id])[person.id]
    assert fw.by_code("B-A1").id not in {i.competence_id for i in gaps.items}
    assert db.session.scalar(db.select(db.func.count(Rating.id))) == 1


def test_ratings_are_append_only(small_framework, create_user, rate):
    person = create_user("employee")
    rate(small_framework, person, S, {"B-V1": 1})
    rating = db.session.scalar(db.select(Rating))
    rating.level = 4
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_a_level_outside_the_scale_is_refused(small_framework, create_user):
    person = create_user("employee")
    with pytest.raises(services.AssessmentError) as info:
        services.save_round(
            person, person, S, {small_framework.competences[0].id: (5, "")}
        )
    assert info.value.code == "level_out_of_scale"


def test_a_competence_outside_the_profiles_is_refused(small_framework, create_user):
    person = create_user("employee")  # no company-consultant function
    with pytest.raises(services.AssessmentError) as info:
        services.save_round(
            person, person, S, {small_framework.by_code("S-VK1").id: (2, "")}
        )
    assert info.value.code == "not_in_profile"


def test_saving_a_round_tells_later_areas(small_framework, create_user, rate):
    person = create_user("employee")
    heard = []

    def listener(sender, **kwargs):
        heard.append((sender.person_id, kwargs["source"]))

    with assessment_saved.connected_to(listener):
        rate(small_framework, person, S, {"B-V1": 2})
    assert heard == [(person.id, S)]
