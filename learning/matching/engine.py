"""The query layer of the matching: loads people, gaps, bookings and candidate
sessions in a fixed number of queries, whatever the data size, and hands plain
rows to the pure ranking. A team, a jobcentre and the purchase plan run it;
one person's page reads at course level and asks SQL for the page's sessions
only (person_page.py), with persons_of() and busy_days() from here.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.db import db, utcnow
from core.people.models import User
from courses.bookings import guards
from courses.bookings.course_days import whole_days
from courses.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from courses.catalogue.models import Course
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from courses.sessions.timing import COPENHAGEN
from learning.assessments import services as assessments
from learning.competences.models import Competence
from learning.matching import ranking, reads
from learning.matching.models import CourseCompetence
from learning.matching.modules import fitting_modules

# Done courses meet prerequisites; with active ones they are not suggested again.
DONE_STATUSES = (BookingStatus.completed, BookingStatus.attended)


@dataclass
class Loaded:
    """Everything the ranking needs for a set of people, and the competences named."""

    people: dict[int, ranking.Person]
    offers: list[ranking.Offer]
    competences: dict[int, Competence]
    now: datetime
    # Where the open sessions of every course linked to a gap are held (only
    # when load() was asked for them): the team page's choice of places.
    places: set[str] = field(default_factory=set)


# Up to this many people, the gaps and competences come in one statement
# (assessments.gaps_and_competences); a jobcentre's read its ratings once instead.
FEW = 60


def people_gaps(person_ids: Iterable[int]) -> tuple[dict, dict[int, Competence]]:
    """Each person's gaps as ranking.Gap (current levels included) and the
    competences they name, with their areas: one query for a few people, five
    for many. Mentoring and reports reuse it."""
    person_ids = list(person_ids)
    if len(person_ids) <= FEW:
        gaps, competences = assessments.gaps_and_competences(person_ids)
    else:
        gaps = assessments.gaps_for(person_ids)
        ids = {item.competence_id for g in gaps.values() for item in g.items}
        competences = assessments.competences_by_id(ids)
    result = {}
    for pid, person_gaps in gaps.items():
        result[pid] = tuple(
            ranking.Gap(
                item.competence_id,
                item.current or 0,
                item.target,
                item.priority,
                competences[item.competence_id].area_id,
                competences[item.competence_id].kind.value,
            )
            for item in person_gaps.items
            # Not assessed is not a gap: nothing to close until someone rates it.
            if item.assessed
        )
    return result, competences


def load(
    people: list[User],
    *,
    now: datetime | None = None,
    suggestable_only: bool = False,
    places: bool = False,
) -> Loaded:
    """Load the people's gaps, bookings, waivers, diploma modules and the open
    sessions that could serve them: five queries for a few people (the gaps, what
    they booked, waived and follow, their busy time from each of its two sources,
    the offers with their links and meetings), one more when they follow a
    diploma programme, whatever the size of the catalogue.

    With `suggestable_only`, the sessions only of the courses that can be
    suggested to one of them (ranking.suggestable_courses, asked in SQL): the
    same suggestions, without reading and judging the sessions of courses that
    close no gap. With `places`, where the sessions of every linked course are
    held (in the same query)."""
    now = now or utcnow()
    ids = [p.id for p in people]
    gaps, competences = people_gaps(ids)
    wanted = {g.competence_id for gs in gaps.values() for g in gs if g.size}
    found = reads.facts(ids, ACTIVE_STATUSES | set(DONE_STATUSES))
    # Most people follow no programme: then nothing to read about modules.
    modules = fitting_modules(ids) if found[reads.PROGRAMME] else {}
    busy = busy_days(ids, now)
    module_courses = {c for fits in modules.values() for c in fits}
    linked = _linked_courses(gaps.values(), wanted, suggestable_only)
    every = _linked_courses((), wanted, False)
    links, offers, held = _offers(
        sa.or_(
            CourseSession.course_id.in_(linked),
            CourseSession.course_id.in_(module_courses),
        ),
        wanted,
        busy,
        now,
        CourseSession.course_id.in_(every) if places else None,
    )
    persons = persons_of(people, gaps, found, links, busy, modules)
    return Loaded(persons, offers, competences, now, held)


def persons_of(
    people: list[User], gaps: dict, found: dict, links: dict, busy: dict, modules: dict
) -> dict[int, ranking.Person]:
    """The people as the ranking sees them, from their gaps, what reads.facts()
    found, the links (course -> (competence, level)) of the courses they booked
    (their gaps count as raised by them), their busy days and their modules."""
    waived: dict[int, set[int]] = {}
    for user_id, course_id, _status in found[reads.WAIVER]:
        waived.setdefault(user_id, set()).add(course_id)
    by_person: dict[int, list] = {}
    for user_id, course_id, status in found[reads.BOOKING]:
        by_person.setdefault(user_id, []).append((status, course_id))
    persons = {}
    for p in people:
        mine = by_person.get(p.id, [])
        booked = frozenset(c for _s, c in mine)
        done = frozenset(c for s, c in mine if s in DONE_STATUSES)
        covered_by_booked = [link for c in booked for link in links.get(c, ())]
        persons[p.id] = ranking.Person(
            p.id,
            p.employer_kind.value,
            tuple(ranking.after_courses(gaps.get(p.id, ()), covered_by_booked)),
            done_course_ids=done,
            waived_course_ids=frozenset(waived.get(p.id, ())),
            booked_course_ids=booked,
            busy=tuple(busy.get(p.id, ())),
            modules=modules.get(p.id, {}),
        )
    return persons


def _linked_courses(gaps, wanted: set[int], suggestable_only: bool) -> sa.Select:
    """The courses linked to a wanted competence; with `suggestable_only`, only
    at a level that closes somebody's gap (ranking.suggestable_courses' rule:
    above the current level and at the target), grouped by that level."""
    if not suggestable_only:
        return sa.select(CourseCompetence.course_id).where(
            CourseCompetence.competence_id.in_(wanted)
        )
    lowest: dict[int, int] = {}
    for person_gaps in gaps:
        for gap in person_gaps:
            if gap.size:
                level = max(gap.current + 1, gap.target)
                lowest[gap.competence_id] = min(
                    level, lowest.get(gap.competence_id, level)
                )
    by_level: dict[int, list[int]] = {}
    for competence_id, level in lowest.items():
        by_level.setdefault(level, []).append(competence_id)
    return sa.select(CourseCompetence.course_id).where(
        sa.or_(
            sa.false(),
            *(
                sa.and_(
                    CourseCompetence.competence_id.in_(sorted(ids)),
                    CourseCompetence.level >= level,
                )
                for level, ids in sorted(by_level.items())
            ),
        )
    )


def busy_days(
    ids: list[int], now: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each person's busy course days, whole days from midnight to midnight: the
    booking guards' own busy time, so a suggestion is never a session the person
    would be refused as a clash. Earlier meetings of today still fill today."""
    return {
        pid: _union(whole_days(*m) for item in items for m in item.meetings)
        for pid, items in guards.busy_of(ids, since=now - timedelta(days=1)).items()
    }


def _offers(
    courses: sa.ColumnElement[bool],
    wanted: set[int],
    busy: dict[int, list],
    now: datetime,
    places_of: sa.ColumnElement[bool] | None = None,
) -> tuple[dict[int, list[tuple[int, int]]], list[ranking.Offer], set[str]]:
    """Course -> (competence, level reached) for the wanted competences, and the
    open, bookable sessions of the courses `courses` selects, with their
    prerequisites and the meetings that meet somebody's busy time: one query
    (two when the busy time is a jobcentre's)."""
    merged = _union(interval for items in busy.values() for interval in items)
    near = merged if len(merged) <= reads.MAX_INTERVALS else None
    rows, link_rows, meeting_rows, places = reads.offers(
        wanted, courses, near, now, places_of
    )
    links: dict[int, list[tuple[int, int]]] = {}
    for course_id, competence_id, level in link_rows:
        links.setdefault(course_id, []).append((competence_id, level))
    prerequisites: dict[int, set[int]] = {}
    sessions = {}
    for row in rows:
        if row[-1] is not None:
            prerequisites.setdefault(row[1], set()).add(row[-1])
        sessions[row[0]] = row[:-1]
    rows = list(sessions.values())
    if near is None:
        meetings = _meetings_near(rows, merged, now)
    else:
        meetings = {}
        for sid, first, last in meeting_rows:
            meetings.setdefault(sid, set()).add((first, last))
        meetings = {sid: sorted(items) for sid, items in meetings.items()}
    offers = []
    for (
        sid,
        course_id,
        audience,
        p_state,
        p_municipal,
        capacity,
        taken,
        starts,
        ends,
        deadline,
        location,
    ) in rows:
        offers.append(
            ranking.Offer(
                course_session_id=sid,
                course_id=course_id,
                audience=audience.value,
                price_state=Decimal(p_state),
                price_municipal=Decimal(p_municipal),
                capacity=capacity,
                seats_taken=taken,
                starts_at=starts,
                ends_at=ends,
                first_day=starts.astimezone(COPENHAGEN).date(),
                booking_deadline=deadline,
                links=tuple(links.get(course_id, ())),
                prerequisites=frozenset(prerequisites.get(course_id, ())),
                meetings=tuple(meetings.get(sid, ())),
                location=location,
            )
        )
    return links, offers, places


# Sessions whose meetings are read by id; more go through a join instead, as
# an IN list that long would pass SQLite's limit on parameters.
MAX_IDS = 5_000


def _meetings_near(rows, merged: list, now) -> dict:
    """The meetings of the sessions whose span meets the (merged) busy time of
    many people: the others cannot clash, so the ranking need not see them. One
    query."""
    starts = [start for start, _end in merged]
    ids = []
    for row in rows:
        sid, first, last = row[0], row[7], row[8]
        i = bisect_left(starts, last) - 1
        if i >= 0 and merged[i][1] > first:
            ids.append(sid)
    if not ids:  # no session near anybody's busy time: nothing to ask for
        return {}
    stmt = sa.select(Meeting.course_session_id, Meeting.starts_at, Meeting.ends_at)
    if len(ids) <= MAX_IDS:
        stmt = stmt.where(Meeting.course_session_id.in_(ids))
    else:
        # Every open session's coming meetings; those not near are left below.
        stmt = stmt.join(
            CourseSession, CourseSession.id == Meeting.course_session_id
        ).where(
            CourseSession.status == SessionStatus.open,
            CourseSession.starts_at > now,
        )
    near = set(ids)
    result: dict[int, set] = {}
    for sid, first, last in db.session.execute(
        stmt.where(Meeting.cancelled.is_(False))
    ):
        if sid in near:
            result.setdefault(sid, set()).add((first, last))
    return {sid: sorted(items) for sid, items in result.items()}


def _union(intervals) -> list[tuple[datetime, datetime]]:
    """Overlapping intervals merged: sorted and disjoint."""
    merged: list[list] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def suggestions_for(
    people: list[User],
    filters: ranking.Filters = ranking.Filters(),  # noqa: B008  (frozen)
    *,
    now: datetime | None = None,
    ranked: bool = True,
) -> tuple[dict[int, list[ranking.Suggestion]], Loaded]:
    """Each person's suggestions (ranked unless `ranked` is False): one person or
    many (the purchase plan; the team page judges load()'s offers at course
    level itself, team_page.py).

    Only the sessions of courses that can be suggested are loaded (on the
    national dataset a person's gaps are linked to ~190 courses with ~3,700 open
    sessions, ~170 courses with ~3,300 sessions of them can close a gap; a team
    of 40's to 9,691 of the 10,019 open sessions; reading a session row is most
    of the page's time). Unranked lists also get `Loaded.places`: where the
    sessions of every linked course are held."""
    with ranking.collections_paused():  # thousands of rows and offers, no cycles
        loaded = load(people, now=now, suggestable_only=True, places=not ranked)
        result = ranking.suggest_many(
            loaded.people.values(), loaded.offers, loaded.now, filters, ranked=ranked
        )
    return result, loaded


def rank_again(
    loaded: Loaded, person_id: int, filters: ranking.Filters
) -> list[ranking.Suggestion]:
    """Rank what is already loaded under other filters, without a query."""
    return ranking.suggest(loaded.people[person_id], loaded.offers, loaded.now, filters)


def sessions_by_id(ids: Iterable[int]) -> dict[int, CourseSession]:
    """The sessions a page shows, with course and provider: one query."""
    return {
        cs.id: cs
        for cs in db.session.scalars(
            sa.select(CourseSession)
            .where(CourseSession.id.in_(list(ids)))
            .options(joinedload(CourseSession.course).joinedload(Course.provider))
        )
    }


def waiting_count() -> sa.ScalarSelect:
    """How many wait on the list of the CourseSession in the enclosing query."""
    return (
        sa.select(sa.func.count(Booking.id))
        .where(
            Booking.course_session_id == CourseSession.id,
            Booking.status == BookingStatus.waitlisted,
        )
        .correlate(CourseSession)
        .scalar_subquery()
    )


def sessions_and_queues(
    ids: Iterable[int],
) -> tuple[dict[int, CourseSession], dict[int, int]]:
    """sessions_by_id(), and how many wait on each session's list, counted in
    the same query."""
    waiting = waiting_count()
    sessions, queues = {}, {}
    for cs, count in db.session.execute(
        sa.select(CourseSession, waiting)
        .where(CourseSession.id.in_(list(ids)))
        .options(joinedload(CourseSession.course).joinedload(Course.provider))
    ):
        sessions[cs.id], queues[cs.id] = cs, count
    return sessions, queues
