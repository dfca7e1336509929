"""The query layer of the matching: loads people, gaps, bookings and candidate
sessions in a fixed number of queries, whatever the data size, and hands plain
rows to the pure ranking. One person, a team and a jobcentre run the same code.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.db import db, utcnow
from core.people.models import User
from courses.bookings import guards
from courses.bookings.course_days import whole_days
from courses.bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    PrerequisiteWaiver,
)
from courses.catalogue.models import Course, course_prerequisites
from courses.diplomas.models import (
    EARNED,
    Diploma,
    DiplomaEnrolment,
    DiplomaModule,
    ModuleKind,
    ModuleProgress,
    ModuleStatus,
)
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from courses.sessions.timing import COPENHAGEN
from learning.assessments import services as assessments
from learning.competences.models import Competence
from learning.matching import ranking
from learning.matching.models import CourseCompetence

# Done courses meet prerequisites; with active ones they are not suggested again.
DONE_STATUSES = (BookingStatus.completed, BookingStatus.attended)
# A module the person has no need to be offered.
SETTLED = EARNED | {ModuleStatus.not_relevant, ModuleStatus.in_progress}


@dataclass
class Loaded:
    """Everything the ranking needs for a set of people, and the competences named."""

    people: dict[int, ranking.Person]
    offers: list[ranking.Offer]
    competences: dict[int, Competence]
    now: datetime


def people_gaps(person_ids: Iterable[int]) -> tuple[dict, dict[int, Competence]]:
    """Each person's gaps as ranking.Gap (current levels included) and the
    competences they name, with their areas: five queries for any number of
    people. Mentoring and reports reuse it."""
    person_ids = list(person_ids)
    gaps = assessments.gaps_for(person_ids)
    ids = {item.competence_id for g in gaps.values() for item in g.items}
    competences = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Competence)
            .where(Competence.id.in_(ids))
            .options(joinedload(Competence.area))
        )
    }
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
    people: list[User], *, now: datetime | None = None, suggestable_only: bool = False
) -> Loaded:
    """Load the people's gaps, bookings, waivers, diploma modules and the open
    sessions that could serve them: fourteen queries, whatever the size.

    With `suggestable_only`, the sessions only of the courses that can be
    suggested to one of them (ranking.suggestable_courses): the same suggestions,
    without reading and judging the sessions of courses that close no gap."""
    now = now or utcnow()
    ids = [p.id for p in people]
    gaps, competences = people_gaps(ids)
    wanted = {g.competence_id for gs in gaps.values() for g in gs if g.size}
    links = _links(wanted)
    bookings = db.session.execute(
        sa.select(Booking.user_id, Booking.status, CourseSession.course_id)
        .join(CourseSession, CourseSession.id == Booking.course_session_id)
        .where(
            Booking.user_id.in_(ids),
            Booking.status.in_(list(ACTIVE_STATUSES | set(DONE_STATUSES))),
        )
    ).all()
    busy = _busy(ids, now)
    waived: dict[int, set[int]] = {}
    for user_id, course_id in db.session.execute(
        sa.select(PrerequisiteWaiver.user_id, PrerequisiteWaiver.course_id).where(
            PrerequisiteWaiver.user_id.in_(ids)
        )
    ):
        waived.setdefault(user_id, set()).add(course_id)
    modules = _fitting_modules(ids)
    course_ids = set(links) | {c for fits in modules.values() for c in fits}
    if suggestable_only:
        course_ids = ranking.suggestable_courses(gaps.values(), links, modules)
    offers = _offers(course_ids, links, busy, ids, now)
    by_person: dict[int, list] = {}
    for user_id, status, course_id in bookings:
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
    return Loaded(persons, offers, competences, now)


def offers_for(
    competence_ids: Iterable[int], *, now: datetime | None = None
) -> list[ranking.Offer]:
    """The open, bookable sessions of the courses that develop these competences,
    as load() finds them but for nobody in particular (no one's calendar): the
    demand of a team or a jobcentre. Four queries."""
    links = _links(set(competence_ids))
    return _offers(set(links), links, {}, [], now or utcnow())


def _links(competence_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Course -> (competence, level reached), for the competences with a gap."""
    result: dict[int, list[tuple[int, int]]] = {}
    for course_id, competence_id, level in db.session.execute(
        sa.select(
            CourseCompetence.course_id,
            CourseCompetence.competence_id,
            CourseCompetence.level,
        ).where(CourseCompetence.competence_id.in_(competence_ids))
    ):
        result.setdefault(course_id, []).append((competence_id, level))
    return result


def _busy(ids: list[int], now: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each person's busy course days, whole days from midnight to midnight: the
    booking guards' own busy time, so a suggestion is never a session the person
    would be refused as a clash. Earlier meetings of today still fill today."""
    return {
        pid: _union(whole_days(*m) for item in items for m in item.meetings)
        for pid, items in guards.busy_of(ids, since=now - timedelta(days=1)).items()
    }


def _fitting_modules(ids: list[int]) -> dict[int, dict[int, ranking.ModuleFit]]:
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


def _offers(
    course_ids: set[int],
    links: dict,
    busy: dict[int, list],
    person_ids: list[int],
    now: datetime,
) -> list[ranking.Offer]:
    """The open, bookable sessions of these courses, with their courses'
    prerequisites (a row per prerequisite), and the meetings that meet
    somebody's busy time: two queries."""
    price_state = sa.func.coalesce(CourseSession.price_state, Course.price_state)
    price_municipal = sa.func.coalesce(
        CourseSession.price_municipal, Course.price_municipal
    )
    rows = db.session.execute(
        sa.select(
            CourseSession.id,
            CourseSession.course_id,
            Course.audience,
            sa.type_coerce(price_state, sa.Numeric(12, 2)),
            sa.type_coerce(price_municipal, sa.Numeric(12, 2)),
            CourseSession.capacity,
            CourseSession.seats_taken,
            CourseSession.starts_at,
            CourseSession.ends_at,
            CourseSession.booking_deadline,
            CourseSession.location,
            course_prerequisites.c.required_course_id,
        )
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(
            course_prerequisites,
            course_prerequisites.c.course_id == CourseSession.course_id,
        )
        .where(
            CourseSession.course_id.in_(course_ids),
            CourseSession.status == SessionStatus.open,
            CourseSession.starts_at > now,
            sa.or_(
                CourseSession.booking_deadline.is_(None),
                CourseSession.booking_deadline >= now,
            ),
            Course.is_listed(),
        )
    ).all()
    prerequisites: dict[int, set[int]] = {}
    sessions = {}
    for row in rows:
        if row[-1] is not None:
            prerequisites.setdefault(row[1], set()).add(row[-1])
        sessions[row[0]] = row[:-1]
    rows = list(sessions.values())
    meetings = _meetings_near(rows, busy, person_ids, now)
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
    return offers


# Sessions whose meetings are read by id; more go through a join instead, as
# an IN list that long would pass SQLite's limit on parameters.
MAX_IDS = 5_000


def _meetings_near(rows, busy: dict[int, list], person_ids, now) -> dict:
    """The meetings of the sessions whose span meets somebody's busy time: the
    others cannot clash, so the ranking need not see them. One query."""
    merged = _union(interval for items in busy.values() for interval in items)
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
    """Each person's suggestions (ranked unless `ranked` is False): one person, a
    team or a whole jobcentre.

    Ranked lists (a person's page, the plan, the API) load only the sessions of
    courses that can be suggested (on the national dataset a person's gaps are
    linked to ~190 courses with ~3,700 open sessions, ~170 courses with ~3,300
    sessions of them can close a gap; reading a session row is most of the
    page's time). Unranked lists
    (the team page's places, the purchase plan's sessions) read every offer in
    `Loaded.offers`, so they get them all."""
    loaded = load(people, now=now, suggestable_only=ranked)
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


def sessions_and_queues(
    ids: Iterable[int],
) -> tuple[dict[int, CourseSession], dict[int, int]]:
    """sessions_by_id(), and how many wait on each session's list, counted in
    the same query."""
    waiting = (
        sa.select(sa.func.count(Booking.id))
        .where(
            Booking.course_session_id == CourseSession.id,
            Booking.status == BookingStatus.waitlisted,
        )
        .correlate(CourseSession)
        .scalar_subquery()
    )
    sessions, queues = {}, {}
    for cs, count in db.session.execute(
        sa.select(CourseSession, waiting)
        .where(CourseSession.id.in_(list(ids)))
        .options(joinedload(CourseSession.course).joinedload(Course.provider))
    ):
        sessions[cs.id], queues[cs.id] = cs, count
    return sessions, queues
