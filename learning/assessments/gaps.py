"""The gap engine: current levels and gaps computed over plain rows, for any number
of people at once (one page or the whole workforce run the same code)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from learning.assessments.models import RatingSource
from learning.competences.models import Layer

# Slots in a per-competence [self, manager, agreed] triple, by member and by value.
SLOT = {RatingSource.self: 0, RatingSource.manager: 1, RatingSource.agreed: 2}
SLOT |= {source.value: n for source, n in list(SLOT.items())}
TALK_DIFFERENCE = 2


def current_level(
    self_level: int | None, manager_level: int | None, agreed_level: int | None
) -> int | None:
    """The level a person is at: agreed, else the manager's, else their own."""
    if agreed_level is not None:
        return agreed_level
    if manager_level is not None:
        return manager_level
    return self_level


def gap_size(target: int, current: int | None) -> int:
    """How far below the target: max(0, target - current).

    Not assessed is not a gap: a competence nobody has rated has gap 0 and is
    shown as "not assessed", so a new colleague does not top a list by gap.
    """
    if current is None:
        return 0
    return max(0, target - current)


def is_talk_topic(self_level: int | None, manager_level: int | None) -> bool:
    """Self and manager disagree by two levels or more: a topic for the talk."""
    if self_level is None or manager_level is None:
        return False
    return abs(self_level - manager_level) >= TALK_DIFFERENCE


class Target(NamedTuple):
    competence_id: int
    target: int
    priority: int
    layer: Layer


class CompetenceGap(NamedTuple):
    competence_id: int
    target: int
    priority: int
    layer: Layer
    self_level: int | None
    manager_level: int | None
    agreed_level: int | None
    current: int | None
    gap: int
    weighted: int
    talk_topic: bool

    @property
    def assessed(self) -> bool:
        return self.current is not None


@dataclass
class PersonGaps:
    person_id: int
    items: list[CompetenceGap] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.weighted for item in self.items)

    @property
    def largest(self) -> int:
        return max((item.gap for item in self.items), default=0)

    @property
    def unassessed(self) -> list[CompetenceGap]:
        """Competences nobody has rated yet: unknown, not a gap."""
        return [item for item in self.items if not item.assessed]

    @property
    def never_assessed(self) -> bool:
        """Required competences, and not one of them rated."""
        return bool(self.items) and all(not item.assessed for item in self.items)

    def by_layer(self) -> dict[Layer, dict[str, int]]:
        """Gap sums per layer: levels missing and the priority-weighted sum."""
        sums = {layer: {"gap": 0, "weighted": 0, "count": 0} for layer in Layer}
        for item in self.items:
            bucket = sums[item.layer]
            bucket["gap"] += item.gap
            bucket["weighted"] += item.weighted
            bucket["count"] += 1 if item.gap else 0
        return sums

    def in_order(self) -> list[CompetenceGap]:
        """Open gaps, largest weighted first."""
        open_gaps = [item for item in self.items if item.gap]
        return sorted(open_gaps, key=lambda i: (-i.weighted, -i.gap, i.competence_id))

    @property
    def talk_topics(self) -> list[CompetenceGap]:
        return [item for item in self.items if item.talk_topic]


def latest_levels(rating_rows: Iterable[tuple]) -> dict[tuple[int, int], list]:
    """Latest level per source for each (person, competence).

    Rows are (person_id, competence_id, source, level) oldest first (the loader
    orders them by time), so a later row simply replaces an earlier one; source is
    a RatingSource or its value. The result maps (person, competence) to
    [self, manager, agreed] levels.
    """
    slot = SLOT
    levels: dict[tuple[int, int], list] = {}
    get = levels.get
    for person_id, competence_id, source, level in rating_rows:
        key = (person_id, competence_id)
        triple = get(key)
        if triple is None:
            triple = levels[key] = [None, None, None]
        triple[slot[source]] = level
    return levels


def merge_targets(
    profile_ids: Iterable[int], requirements: Mapping[int, list[Target]]
) -> list[Target]:
    """One target per competence over several profiles: the highest target and
    priority win, since a person must meet every profile they hold."""
    merged: dict[int, Target] = {}
    for profile_id in profile_ids:
        for req in requirements.get(profile_id, ()):
            old = merged.get(req.competence_id)
            if old is None:
                merged[req.competence_id] = req
            elif req.target > old.target or req.priority > old.priority:
                merged[req.competence_id] = Target(
                    req.competence_id,
                    max(req.target, old.target),
                    max(req.priority, old.priority),
                    req.layer,
                )
    return sorted(merged.values())


def compute_gaps(
    person_profiles: Mapping[int, Iterable[int]],
    requirements: Mapping[int, list[Target]],
    rating_rows: Iterable[tuple],
) -> dict[int, PersonGaps]:
    """Gaps for every person in `person_profiles` (person -> profile ids, basic
    profile included) against their merged targets and their latest ratings."""
    levels = latest_levels(rating_rows)
    targets_cache: dict[frozenset, list[Target]] = {}
    result: dict[int, PersonGaps] = {}
    none3 = (None, None, None)
    for person_id, profile_ids in person_profiles.items():
        profile_set = frozenset(profile_ids)
        targets = targets_cache.get(profile_set)
        if targets is None:
            targets = targets_cache[profile_set] = merge_targets(
                sorted(profile_set), requirements
            )
        items = []
        for competence_id, target, priority, layer in targets:
            own, manager, agreed = levels.get((person_id, competence_id), none3)
            current = current_level(own, manager, agreed)
            gap = gap_size(target, current)
            items.append(
                CompetenceGap(
                    competence_id,
                    target,
                    priority,
                    layer,
                    own,
                    manager,
                    agreed,
                    current,
                    gap,
                    gap * priority,
                    is_talk_topic(own, manager),
                )
            )
        result[person_id] = PersonGaps(person_id, items)
    return result
