"""The diploma modules a person may take next in the programmes they follow:
suggested beside the sessions that close a gap."""

from decimal import Decimal

import sqlalchemy as sa

from core.db import db
from courses.diplomas.models import (
    EARNED,
    Diploma,
    DiplomaEnrolment,
    DiplomaModule,
    ModuleKind,
    ModuleProgress,
    ModuleStatus,
)
from learning.matching import ranking

# A module the person has no need to be offered.
SETTLED = EARNED | {ModuleStatus.not_relevant, ModuleStatus.in_progress}


def fitting_modules(ids: list[int]) -> dict[int, dict[int, ranking.ModuleFit]]:
    """Person -> course -> the module of a programme they follow that they may
    take next: not passed, accredited, under way or irrelevant; the final project
    only once the mandatory modules and the other ECTS are earned. One query:
    the programmes' modules with the person's progress in each."""
    enrolled = sa.union(
        sa.select(DiplomaEnrolment.user_id, DiplomaEnrolment.diploma_id).where(
            DiplomaEnrolment.user_id.in_(ids)
        ),
        sa.select(ModuleProgress.user_id, DiplomaModule.diploma_id)
        .join(DiplomaModule, DiplomaModule.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id.in_(ids)),
    ).subquery()
    rows = db.session.execute(
        sa.select(enrolled.c.user_id, DiplomaModule, Diploma, ModuleProgress.status)
        .join(DiplomaModule, DiplomaModule.diploma_id == enrolled.c.diploma_id)
        .join(Diploma, Diploma.id == DiplomaModule.diploma_id)
        # every module the person has progress in is of a programme in `enrolled`
        .outerjoin(
            ModuleProgress,
            sa.and_(
                ModuleProgress.user_id == enrolled.c.user_id,
                ModuleProgress.module_id == DiplomaModule.id,
            ),
        )
    ).all()
    status = {}
    programmes: dict[tuple[int, int], list] = {}
    for user_id, module, diploma, progress in rows:
        if progress is not None:
            status[(user_id, module.id)] = progress
        programmes.setdefault((user_id, diploma.id), []).append((module, diploma))
    result: dict[int, dict[int, ranking.ModuleFit]] = {}
    for (user_id, _diploma_id), items in programmes.items():
        for module, diploma in module_fits(user_id, items, status):
            result.setdefault(user_id, {})[module.course_id] = ranking.ModuleFit(
                module.course_id,
                diploma.id,
                diploma.title,
                module.code,
                module.ects,
                module.kind.value,
            )
    return result


def module_fits(user_id: int, items: list, status: dict) -> list:
    """The (module, diploma) pairs of one programme the person may take next."""
    earned = [m for m, _d in items if status.get((user_id, m.id)) in EARNED]
    final_ects = sum(
        (m.ects for m, _d in items if m.kind is ModuleKind.final_project), Decimal(0)
    )
    earned_ects = sum(
        (m.ects for m in earned if m.kind is not ModuleKind.final_project), Decimal(0)
    )
    total = items[0][1].total_ects if items else Decimal(0)
    mandatory_left = any(
        m.kind is ModuleKind.mandatory and m not in earned for m, _d in items
    )
    final_allowed = not mandatory_left and earned_ects >= total - final_ects
    return [
        (m, d)
        for m, d in items
        if status.get((user_id, m.id)) not in SETTLED
        and (m.kind is not ModuleKind.final_project or final_allowed)
    ]
