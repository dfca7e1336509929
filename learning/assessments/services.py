"""Assessment rounds, and loading the rows the gap engine works on."""

from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.audit import record
from core.db import db, plain_rows, utcnow
from core.people.models import User
from learning.assessments.errors import AssessmentError
from learning.assessments.gaps import PersonGaps, Target, compute_gaps
from learning.assessments.models import AssessmentRound, Rating, RatingSource
from learning.assessments.signals import assessment_saved
from learning.competences import services as framework
from learning.competences.models import (
    Competence,
    Profile,
    Requirement,
    UserProfile,
)

# --- the rows the engine reads -----------------------------------------------------


def requirement_map() -> dict[int, list[Target]]:
    """Every profile's targets on competences still in use."""
    rows = db.session.execute(
        sa.select(
            Requirement.profile_id,
            Requirement.competence_id,
            Requirement.target,
            Requirement.priority,
            Competence.layer,
        )
        .join(Competence, Requirement.competence_id == Competence.id)
        .where(Competence.retired.is_(False))
    )
    result: dict[int, list[Target]] = {}
    for profile_id, competence_id, target, priority, layer in rows:
        result.setdefault(profile_id, []).append(
            Target(competence_id, target, priority, layer)
        )
    return result


def rating_rows_stmt(person_ids: Iterable[int] | None = None) -> sa.Select:
    """(person, competence, source, level), oldest first, for the gap engine.

    The source is read as its plain value and the time stays in SQL: converting a
    million timestamps and enums in Python would cost more than the gaps do.
    """
    stmt = sa.select(
        Rating.person_id,
        Rating.competence_id,
        sa.type_coerce(Rating.source, sa.String),
        Rating.level,
    ).order_by(Rating.rated_at, Rating.id)
    if person_ids is not None:
        stmt = stmt.where(Rating.person_id.in_(list(person_ids)))
    return stmt


def gaps_for(
    person_ids: Iterable[int] | None = None,
    profiles: dict[int, set[int]] | None = None,
    targets: dict[int, list[Target]] | None = None,
) -> dict[int, PersonGaps]:
    """Gaps for these people (None: every active person) in three queries, two
    when the caller has read their `profiles` (profile_ids_for) already.

    Within one GET the same people's gaps are computed once (remember_gaps): a
    page and the sections other areas add to it (the suggestions, the specialist
    knowledge, "not assessed yet") ask for them in turn. A GET writes nothing
    (tests/test_get_reads_only.py), so the answer cannot change within it; a POST
    reads afresh, since it may have saved a rating on the way. `targets`: the
    framework's targets when the caller has them (targets_and_competences)."""
    if person_ids is None:
        person_ids = db.session.scalars(sa.select(User.id).where(User.active.is_(True)))
        links = framework.profile_ids_for(None)
        basic = set(framework.basic_profile_ids())
        profiles = {pid: links.get(pid, basic) for pid in person_ids}
        rows = plain_rows(rating_rows_stmt(None))
        return compute_gaps(profiles, requirement_map(), rows)
    person_ids = list(person_ids)
    memo = _request_memo()
    key = frozenset(person_ids)
    if key in memo:
        return dict(memo[key])
    if profiles is None:
        profiles = framework.profile_ids_for(person_ids)
    rows = plain_rows(rating_rows_stmt(person_ids))
    result = compute_gaps(profiles, targets or requirement_map(), rows)
    memo[key] = result
    return dict(result)


# Gaps already computed in this request, by the set of people; None outside a
# GET (the web layer turns it on for each GET, see remember_gaps).
_gaps_memo: ContextVar[dict | None] = ContextVar("assessment_gaps", default=None)


def _request_memo() -> dict:
    memo = _gaps_memo.get()
    return {} if memo is None else memo


def remember_gaps() -> Token:
    """Compute each set of people's gaps once until forget_gaps (one GET)."""
    return _gaps_memo.set({})


def forget_gaps(token: Token) -> None:
    try:
        _gaps_memo.reset(token)
    except ValueError:  # ended in another context than it began: drop it there
        _gaps_memo.set(None)


def gaps_from_rows(
    profiles: dict[int, set[int]],
    rows: Iterable[tuple],
    targets: dict[int, list[Target]] | None = None,
) -> dict[int, PersonGaps]:
    """Gaps from rating rows the caller holds, (person, competence, source, level)
    oldest first: the engine's rows without reading the ratings again."""
    return compute_gaps(profiles, targets or requirement_map(), rows)


def targets_and_competences() -> tuple[
    dict[int, list[Target]], dict[int, Competence], set[int]
]:
    """requirement_map() with the competences it names (and their areas) and the
    basic profiles' ids, in one statement instead of two or three."""
    requirements: dict[int, list[Target]] = {}
    competences: dict[int, Competence] = {}
    basic: set[int] = set()
    for competence, profile_id, target, priority, is_basic in db.session.execute(
        _targets_statement()
    ):
        competences[competence.id] = competence
        requirements.setdefault(profile_id, []).append(
            Target(competence.id, target, priority, competence.layer)
        )
        if is_basic:
            basic.add(profile_id)
    return requirements, competences, basic


@cache
def _targets_statement() -> sa.Select:
    """targets_and_competences' statement, built once per process (it has no
    values): built anew, it and its cache key cost a heat map ~1 ms (issue 19)."""
    return (
        sa.select(
            Competence,
            Requirement.profile_id,
            Requirement.target,
            Requirement.priority,
            Profile.basic,
        )
        .join(Requirement, Requirement.competence_id == Competence.id)
        .join(Profile, Profile.id == Requirement.profile_id)
        .where(Competence.retired.is_(False))
        .options(joinedload(Competence.area))
    )


def gaps_and_competences(
    person_ids: Iterable[int],
) -> tuple[dict[int, PersonGaps], dict[int, Competence]]:
    """gaps_for() for a few people (a person's page, a team) in one statement,
    with the competences their targets name (and their areas).

    Each row is one target of one of the person's profiles (the basic ones and
    those linked to them), with the competence and the person's latest self,
    manager and agreed level in it, so the engine's input comes whole: the same
    gaps as gaps_for(), which it leaves in this GET's memo for the page's other
    parts. For many people (a jobcentre, everybody) gaps_for() reads less."""
    gaps, competences, _newest = _gaps_in_one(list(person_ids))
    return gaps, competences


def gaps_and_last_round(
    person: User, source: RatingSource
) -> tuple[PersonGaps, datetime | None]:
    """The person's gaps (gaps_and_competences') and when their newest round of
    `source` was rated, in one statement: the dashboard's.
    The time comes on each target's row, so it is None also when nothing is
    required of the person (then there are no gaps to go with it)."""
    gaps, _competences, newest = _gaps_in_one([person.id], source)
    return gaps[person.id], newest


@cache
def _gaps_statement(newest_of: RatingSource | None) -> sa.Select:
    """_gaps_in_one's statement, built once: the people are the expanding
    parameter `people`. With `newest_of` (the dashboard's) the time of the
    newest round of that source of the person `person` comes on every row (an
    uncorrelated scalar subquery), and the competence as its id and layer, not
    as an object with its area. Built anew each request, the statement and its
    cache key cost more than the database's answer, and the competences'
    objects as much again (issue 19, the dashboard's profile)."""
    people = sa.bindparam("people", expanding=True)
    links = sa.union_all(
        sa.select(UserProfile.user_id, UserProfile.profile_id).where(
            UserProfile.user_id.in_(people)
        ),
        sa.select(User.id, Profile.id)
        .join(Profile, Profile.basic.is_(True))
        .where(User.id.in_(people)),
    ).subquery()

    def latest(source: RatingSource):
        return (
            sa.select(Rating.level)
            .where(
                Rating.person_id == links.c.user_id,
                Rating.competence_id == Competence.id,
                Rating.source == source,
            )
            .order_by(Rating.rated_at.desc(), Rating.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    competence, newest = (Competence,), ()
    if newest_of is not None:
        competence = (Competence.id, Competence.layer)
        newest = (
            sa.select(sa.func.max(AssessmentRound.rated_at))
            .where(
                AssessmentRound.person_id == sa.bindparam("person"),
                AssessmentRound.source == newest_of,
            )
            .scalar_subquery(),
        )
    statement = (
        sa.select(
            *competence,
            links.c.user_id,
            Requirement.profile_id,
            Requirement.target,
            Requirement.priority,
            *(latest(source) for source in RatingSource),
            *newest,
        )
        .join(Requirement, Requirement.competence_id == Competence.id)
        .join(links, links.c.profile_id == Requirement.profile_id)
        .where(Competence.retired.is_(False))
    )
    if newest_of is None:
        statement = statement.options(joinedload(Competence.area))
    return statement


def _gaps_in_one(
    person_ids: list[int], newest_of: RatingSource | None = None
) -> tuple[dict[int, PersonGaps], dict[int, Competence], datetime | None]:
    """gaps_and_competences(), and with `newest_of` (one person) the time of
    their newest round of that source (None without rows) but no competences
    (an empty dict): _gaps_statement."""
    memo = _request_memo()
    statement = _gaps_statement(newest_of)
    if newest_of is None:
        rows = db.session.execute(statement, {"people": person_ids}).all()
    else:  # plain columns: without the ORM's work per row
        given = {"people": person_ids, "person": person_ids[0]}
        rows = plain_rows(statement, given).all()
    profiles: dict[int, set[int]] = {pid: set() for pid in person_ids}
    requirements: dict[int, dict[int, Target]] = {}
    levels, competences = [], {}
    sources = len(RatingSource)
    for row in rows:
        if newest_of is None:
            competence, *rest = row
            competence_id, layer = competence.id, competence.layer
            competences[competence_id] = competence
        else:
            competence_id, layer, *rest = row
        person_id, profile_id, target, priority, *latest_levels = rest
        profiles[person_id].add(profile_id)
        requirements.setdefault(profile_id, {})[competence_id] = Target(
            competence_id, target, priority, layer
        )
        for source, level in zip(RatingSource, latest_levels[:sources], strict=True):
            if level is not None:
                levels.append((person_id, competence_id, source, level))
    result = compute_gaps(
        profiles, {p: list(t.values()) for p, t in requirements.items()}, levels
    )
    memo[frozenset(person_ids)] = result
    newest = rows[0][-1] if newest_of is not None and rows else None
    return dict(result), competences, newest


def deciding_gaps(
    person_ids: Iterable[int],
) -> tuple[dict[int, PersonGaps], dict[int, Competence]]:
    """The gaps the reports add up, with the competences they name, in two
    statements: the framework's targets with their competences, and for these
    people their profiles and, per competence, the one rating that decides the
    current level (gaps.current_level: the latest agreed, else the latest
    manager's, else the latest self-assessment).

    current, gap, weighted, target, priority and assessed are those of
    gaps_for() (tests/learning/assessments/test_deciding_gaps.py). Of
    self_level, manager_level and agreed_level only the deciding source's is
    read, and talk_topic is always False: this is for pages that count gaps
    (the demand of a team, a jobcentre, a region), not for those showing a
    person's three levels side by side, which read latest_gaps() or gaps_for().

    One rating of three crosses to Python, and the profiles, the targets and
    the competences come in two queries instead of four."""
    return _gaps_in_two(list(person_ids), deciding_only=True)


def latest_gaps(
    person_ids: Iterable[int],
) -> tuple[dict[int, PersonGaps], dict[int, Competence]]:
    """gaps_for() with the competences the targets name, in two statements
    instead of four (the heat maps): the targets with their competences, and
    the people's profiles with their latest rating of each source per
    competence. Every field is gaps_for()'s; the result joins this GET's memo."""
    person_ids = list(person_ids)
    gaps, competences = _gaps_in_two(person_ids, deciding_only=False)
    _request_memo()[frozenset(person_ids)] = gaps
    return dict(gaps), competences


def _gaps_in_two(
    person_ids: list[int], *, deciding_only: bool
) -> tuple[dict[int, PersonGaps], dict[int, Competence]]:
    targets, competences, basic = targets_and_competences()
    profiles = {pid: set(basic) for pid in person_ids}
    levels = []
    for (
        is_rating,
        person_id,
        other_id,
        source,
        level,
        *_order,
    ) in plain_rows(_profiles_and_ratings(deciding_only), {"people": person_ids}).all():
        if is_rating:
            levels.append((person_id, other_id, source, level))
        else:
            profiles[person_id].add(other_id)
    gaps = compute_gaps(profiles, targets, levels)
    needed = {item.competence_id for g in gaps.values() for item in g.items}
    return gaps, {cid: c for cid, c in competences.items() if cid in needed}


@cache
def _profiles_and_ratings(deciding_only: bool) -> sa.CompoundSelect:
    """(0, person, profile, ...) for each profile linked to the people, then
    (1, person, competence, source, level, ...) for their ratings, oldest first
    as latest_levels reads them; with `deciding_only` instead only the rating
    that decides each competence's level: ranked by source (agreed, manager,
    self), then by time, the latest first, then by entry.

    The time is compared in SQL and read back as it is stored (type_coerce), so
    no row pays for a datetime conversion in Python. Built once per process
    and kind, the people the expanding parameter `people` (issue 19)."""
    person_ids = sa.bindparam("people", expanding=True)
    source = sa.type_coerce(Rating.source, sa.String)
    links = sa.select(
        sa.literal(0).label("kind"),
        UserProfile.user_id,
        UserProfile.profile_id,
        sa.null(),
        sa.null(),
        sa.null().label("at"),
        sa.null().label("entry"),
    ).where(UserProfile.user_id.in_(person_ids))
    if not deciding_only:
        ratings = sa.select(
            sa.literal(1),
            Rating.person_id,
            Rating.competence_id,
            source,
            Rating.level,
            sa.type_coerce(Rating.rated_at, sa.String),
            Rating.id,
        ).where(Rating.person_id.in_(person_ids))
        return sa.union_all(links, ratings).order_by("kind", "at", "entry")
    rank = sa.case((source == "agreed", 2), (source == "manager", 1), else_=0)
    ranked = (
        sa.select(
            Rating.person_id,
            Rating.competence_id,
            source.label("source"),
            Rating.level,
            sa.func.row_number()
            .over(
                partition_by=(Rating.person_id, Rating.competence_id),
                order_by=(rank.desc(), Rating.rated_at.desc(), Rating.id.desc()),
            )
            .label("n"),
        )
        .where(Rating.person_id.in_(person_ids))
        .subquery()
    )
    deciding = sa.select(
        sa.literal(1),
        ranked.c.person_id,
        ranked.c.competence_id,
        ranked.c.source,
        ranked.c.level,
        sa.null(),
        sa.null(),
    ).where(ranked.c.n == 1)
    return sa.union_all(links, deciding)


def never_assessed(person_ids: Iterable[int]) -> set[int]:
    """The people with required competences and not one rating in them."""
    return {pid for pid, g in gaps_for(person_ids).items() if g.never_assessed}


# --- saving ------------------------------------------------------------------------


def save_round(
    actor: User,
    person: User,
    source: RatingSource,
    entries: dict[int, tuple[int, str]],
    *,
    at: datetime | None = None,
) -> AssessmentRound:
    """Store a dated round of ratings: competence id -> (level, comment)."""
    if not entries:
        raise AssessmentError("nothing_rated")
    top = framework.get_scale().top
    allowed = assessable_competence_ids(person)
    for competence_id, (level, _comment) in entries.items():
        if competence_id not in allowed:
            raise AssessmentError("not_in_profile", competence_id=competence_id)
        if not 0 <= level <= top:
            raise AssessmentError("level_out_of_scale", competence_id=competence_id)
    at = at or utcnow()
    assessment = AssessmentRound(
        person=person, source=source, rated_by=actor, rated_at=at
    )
    db.session.add(assessment)
    db.session.flush()
    db.session.execute(
        sa.insert(Rating),
        [
            {
                "round_id": assessment.id,
                "person_id": person.id,
                "competence_id": competence_id,
                "source": source,
                "level": level,
                "comment": comment.strip(),
                "rated_at": at,
            }
            for competence_id, (level, comment) in sorted(entries.items())
        ],
    )
    record(
        actor,
        f"assessment.{source.value}",
        assessment,
        after={"person_id": person.id, "ratings": len(entries)},
    )
    assessment_saved.send(assessment, person=person, source=source)
    return assessment


def assessable_competence_ids(person: User) -> set[int]:
    """The competences the person's profiles require (retired ones left out)."""
    profile_ids = framework.profile_ids_for([person.id])[person.id]
    targets = requirement_map()
    return {t.competence_id for pid in profile_ids for t in targets.get(pid, ())}


# --- reading -----------------------------------------------------------------------


def last_rounds(person_ids: Iterable[int]) -> dict[int, dict[RatingSource, datetime]]:
    """When each person was last rated, per source, in one query."""
    rows = db.session.execute(
        sa.select(
            AssessmentRound.person_id,
            AssessmentRound.source,
            sa.func.max(AssessmentRound.rated_at),
        )
        .where(AssessmentRound.person_id.in_(list(person_ids)))
        .group_by(AssessmentRound.person_id, AssessmentRound.source)
    )
    result: dict[int, dict[RatingSource, datetime]] = {}
    for person_id, source, at in rows:
        result.setdefault(person_id, {})[source] = at
    return result


def competences_by_id(ids: Iterable[int]) -> dict[int, Competence]:
    return {
        c.id: c
        for c in db.session.scalars(
            sa.select(Competence)
            .where(Competence.id.in_(list(ids)))
            .options(joinedload(Competence.area))
        )
    }


def _rated_competences() -> sa.Select:
    return sa.select(Rating.competence_id)


def _highest_rated_level() -> int:
    return db.session.scalar(sa.select(sa.func.max(Rating.level))) or 0


framework.usage_sources.append(_rated_competences)
framework.level_checks.append(_highest_rated_level)


# --- evidence ------------------------------------------------------------------------

# What higher areas know of a person's competences besides ratings (matching: the
# courses they completed), shown beside the ratings and never one. Each source
# gives competence id -> items with `occurred_on` and `id`, newest first; it is
# added from the area's init_app, since assessments must not import it.
evidence_sources: list[Callable[[int], dict[int, list]]] = []


def add_evidence_source(source: Callable[[int], dict[int, list]]) -> None:
    if source not in evidence_sources:  # init_app runs once per app, not per process
        evidence_sources.append(source)


def evidence_for(person_id: int) -> dict[int, list]:
    """Competence id -> the person's evidence from every source, newest first."""
    merged: dict[int, list] = {}
    for source in evidence_sources:
        for competence_id, items in source(person_id).items():
            merged.setdefault(competence_id, []).extend(items)
    for items in merged.values():
        items.sort(key=lambda e: (e.occurred_on, e.id), reverse=True)
    return merged


def evidence_without(evidence: dict[int, list], competence_ids: Iterable[int]) -> list:
    """The evidence for competences other than these (not among the profile's rows)."""
    shown = set(competence_ids)
    return sorted(
        (e for cid, items in evidence.items() if cid not in shown for e in items),
        key=lambda e: (e.occurred_on, e.id),
        reverse=True,
    )
