"""What the framework's overview page shows, read in few statements."""

import sqlalchemy as sa

from core.db import db
from learning.competences.models import Area, Competence, Profile, Requirement
from learning.competences.services import used_clause


def areas_and_competences() -> tuple[
    list[tuple[Area, list[Competence]]], set[int], dict[int, int]
]:
    """Every area (by code) with its competences (by code), the ids of those in
    use (services.used_competence_ids' rule) and how many profiles require each
    (services.requiring_profiles'): one statement instead of five."""
    requiring = (
        sa.select(sa.func.count())
        .where(Requirement.competence_id == Competence.id)
        .correlate(Competence)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Area, Competence, requiring, used_clause())
        .outerjoin(Competence, Competence.area_id == Area.id)
        .order_by(Area.code, Competence.code)
    )
    areas: dict[int, tuple[Area, list[Competence]]] = {}
    used, counts = set(), {}
    for area, competence, required_by, in_use in rows:
        found = areas.setdefault(area.id, (area, []))
        if competence is None:
            continue
        found[1].append(competence)
        if in_use:
            used.add(competence.id)
        if required_by:
            counts[competence.id] = required_by
    return list(areas.values()), used, counts


def profiles_and_sizes() -> list[tuple[Profile, int]]:
    """Every profile (the basic ones first, then by title) with the number of
    competences it requires, in one statement."""
    size = (
        sa.select(sa.func.count())
        .where(Requirement.profile_id == Profile.id)
        .correlate(Profile)
        .scalar_subquery()
    )
    return [
        (profile, n)
        for profile, n in db.session.execute(
            sa.select(Profile, size).order_by(Profile.basic.desc(), Profile.title)
        )
    ]
