"""A person's every rating, grouped per competence: the profile page's history.

Read as plain columns by a statement built once per process (issue 19): the page
showed some 100 ratings as ORM objects with their rounds, raters and
competences, and formatted each rating's date, source and level name through the
locale lookup one by one. A person's ratings come in a few rounds, so the texts
are formatted once per distinct date, source and level within the request.
Only the statement is kept, never what it read.
"""

from functools import cache
from typing import NamedTuple

import sqlalchemy as sa

from core.db import plain_rows
from core.people.models import User
from core.templating import long_date
from learning.assessments.models import AssessmentRound, Rating
from learning.competences.models import Competence, Scale


class RatedCompetence(NamedTuple):
    """What the history shows of a competence (the `localised` filter reads
    title and title_en)."""

    id: int
    code: str
    title: str
    title_en: str
    retired: bool


class HistoryEntry(NamedTuple):
    """One rating as the history reads it: its texts formatted."""

    date: str
    source: str
    level: int
    level_name: str
    rater: str | None  # the rater's name when someone else rated
    comment: str


class History(NamedTuple):
    rating_rows: list[tuple]  # (person, competence, source, level), oldest first
    by_competence: list[tuple[RatedCompetence, list[HistoryEntry]]]


@cache
def _statement() -> sa.Select:
    """The person's ratings (`person` bound), newest first, with the round's
    rater's name and the competence's code and titles."""
    return (
        sa.select(
            Rating.competence_id,
            Competence.code,
            Competence.title,
            Competence.title_en,
            Competence.retired,
            Rating.rated_at,
            Rating.source,
            Rating.level,
            Rating.comment,
            AssessmentRound.rated_by_id,
            User.name,
        )
        .join(Competence, Competence.id == Rating.competence_id)
        .join(AssessmentRound, AssessmentRound.id == Rating.round_id)
        .outerjoin(User, User.id == AssessmentRound.rated_by_id)
        .where(Rating.person_id == sa.bindparam("person"))
        .order_by(Rating.rated_at.desc(), Rating.id.desc())
    )


def rating_history(person: User, scale: Scale) -> History:
    """Every rating of the person: the gap engine's rows, and per competence
    (in code order; retired ones keep their history) the ratings newest first."""
    # The package's labels (imported here: the package imports the views).
    from learning.assessments import source_label

    rows = plain_rows(_statement(), {"person": person.id})
    dates: dict = {}
    sources: dict = {}
    levels: dict = {}
    grouped: dict[int, tuple[RatedCompetence, list[HistoryEntry]]] = {}
    rating_rows = []
    for (
        competence_id,
        code,
        title,
        title_en,
        retired,
        rated_at,
        source,
        level,
        comment,
        rated_by_id,
        rater_name,
    ) in rows:
        rating_rows.append((person.id, competence_id, source, level))
        if rated_at not in dates:
            dates[rated_at] = long_date(rated_at)
        if source not in sources:
            sources[source] = source_label(source)
        if level not in levels:
            levels[level] = scale.label(level)
        group = grouped.get(competence_id)
        if group is None:
            competence = RatedCompetence(competence_id, code, title, title_en, retired)
            group = grouped[competence_id] = (competence, [])
        rater = (
            rater_name if rated_by_id is not None and rated_by_id != person.id else None
        )
        group[1].append(
            HistoryEntry(
                dates[rated_at],
                sources[source],
                level,
                levels[level],
                rater,
                comment,
            )
        )
    rating_rows.reverse()
    by_competence = sorted(grouped.values(), key=lambda row: row[0].code)
    return History(rating_rows, by_competence)
