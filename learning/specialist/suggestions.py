"""Knowledge items as learning resources: on "Forslag til dig", beside the
sessions and the mentors, the published items tagged with the person's gap
competences, those that close the most priority-weighted gap first."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.db import db
from learning.assessments import services as assessments
from learning.competences.models import Competence
from learning.specialist.models import (
    ItemStatus,
    KnowledgeItem,
    KnowledgeItemCompetence,
)
from learning.specialist.permissions import can_read_knowledge
from learning.specialist.services import planned_readings

SHOWN = 5
CANDIDATES = 200  # the newest matching items are ranked; older ones wait their turn


@dataclass(frozen=True)
class Resource:
    item: KnowledgeItem
    gaps: list[Competence]  # the person's gap competences it is tagged with
    in_plan: bool


def resources_for(person, limit: int = SHOWN) -> list[Resource]:
    """The person's best published items for their open gaps: two queries
    (and the gaps, which the page has read already)."""
    gaps = assessments.gaps_for([person.id]).get(person.id)
    weight = {g.competence_id: g.weighted for g in (gaps.in_order() if gaps else [])}
    if not weight:
        return []
    tagged = (
        sa.select(KnowledgeItemCompetence.item_id)
        .where(KnowledgeItemCompetence.competence_id.in_(list(weight)))
        .scalar_subquery()
    )
    items = (
        db.session.scalars(
            sa.select(KnowledgeItem)
            .where(
                KnowledgeItem.status == ItemStatus.published,
                KnowledgeItem.id.in_(tagged),
            )
            .options(joinedload(KnowledgeItem.competences))
            .order_by(KnowledgeItem.published_at.desc())
            .limit(CANDIDATES)
        )
        .unique()
        .all()
    )

    def score(item: KnowledgeItem) -> tuple:
        covered = sum(weight.get(c.id, 0) for c in item.competences)
        return (-covered, -item.published_at.timestamp(), item.id)

    chosen = sorted(items, key=score)[:limit]
    planned = planned_readings(person) if chosen else set()
    return [
        Resource(
            item,
            [c for c in item.competences if c.id in weight],
            item.id in planned,
        )
        for item in chosen
    ]


def section(user, person) -> dict | None:
    """The section's context for "Forslag til dig", or None to leave it out."""
    if not can_read_knowledge(user):
        return None
    resources = resources_for(person)
    if not resources:
        return None
    return {"resources": resources, "own": user.id == person.id}
