"""One person's suggestions a page at a time, ranked at course level.

A course closes gaps: its links and the person's gaps decide the weight and the
reasons, and whether the person may take it at all (audience, booked,
prerequisites). Its sessions only decide the price and the dates. So the
person, what they booked and the links to their gaps are read first, the ~200
linked courses are judged in Python, and SQL returns only the page's sessions
in ranked order (the weight of their course, the person's price, the first
day), how many there are in all and where they are held. The other ~3,000 open
sessions are never read. The suggestions and their order are ranking.suggest()'s
over every session (tests/learning/matching/test_person_page.py holds them
equal); the team page, which groups every session, still ranks in Python.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.clock import COPENHAGEN
from core.db import db, utcnow
from core.people.models import User
from courses.bookings.models import ACTIVE_STATUSES
from courses.catalogue.models import Audience, Course, course_prerequisites
from courses.sessions.models import CourseSession, Meeting, SessionStatus
from learning.competences.models import Competence
from learning.matching import engine, ranking, reads
from learning.matching.coverage import cover
from learning.matching.modules import fitting_modules


@dataclass
class PersonPage:
    """The page's suggestions, ranked, with the sessions and queues they show."""

    person: ranking.Person
    items: list[ranking.Suggestion]
    total: int  # suggestions under the filters, on every page
    places: list[str]  # where the unfiltered suggestions are held
    competences: dict[int, Competence]
    sessions: dict[int, CourseSession]  # with course and provider
    queues: dict[int, int]  # how many wait on each session's list

    @property
    def open_gaps(self) -> int:
        return sum(1 for g in self.person.gaps if g.size)


def suggestion_page(
    user: User,
    filters: ranking.Filters = ranking.Filters(),  # noqa: B008  (frozen)
    page: int = 1,
    *,
    size: int = 20,
    leave_out: frozenset[int] = frozenset(),
    places: bool = True,
    now: datetime | None = None,
) -> PersonPage:
    """The `page`th `size` suggestions for the person under `filters`, leaving
    out the sessions `leave_out`, and (with `places`) where the unfiltered ones
    are held. Five statements (six when they follow a diploma programme, one
    more with a place chosen), whatever the catalogue's size: the gaps, the
    facts with the links, the busy time's two sources, the page with the
    places."""
    now = now or utcnow()
    ids = [user.id]
    gaps, competences = engine.people_gaps(ids)
    wanted = {g.competence_id for gs in gaps.values() for g in gs if g.size}
    found = reads.facts(ids, ACTIVE_STATUSES | set(engine.DONE_STATUSES), wanted)
    modules = fitting_modules(ids) if found[reads.PROGRAMME] else {}
    busy = engine.busy_days(ids, now)
    links: dict[int, list[tuple[int, int]]] = {}
    for course_id, competence_id, level in found[reads.LINKED]:
        links.setdefault(course_id, []).append((competence_id, level))
    person = engine.persons_of([user], gaps, found, links, busy, modules)[user.id]
    fits = _fitting_courses(person, links)
    result = PersonPage(person, [], 0, [], competences, {}, {})
    if not fits:
        return result
    where_held = sa.select(CourseSession.location).where(
        *_may_take(person, list(fits), now)
    )
    raw_places = None
    if filters.place is not None:
        # The place chosen is matched against the places as written: read first.
        raw_places = list(db.session.scalars(where_held.distinct()))
        where_held = None
    elif not places:
        raw_places, where_held = [], None
    chosen = {
        c: fit for c, fit in fits.items() if _covers_chosen(fit[0], person, filters)
    }
    if chosen:
        wheres = [
            *_may_take(person, list(chosen), now),
            *_session_filters(filters, raw_places or []),
        ]
        if leave_out:
            wheres.append(CourseSession.id.not_in(sorted(leave_out)))
        read = _read_page(result, chosen, links, wheres, page * size, size, where_held)
        raw_places = read if raw_places is None else raw_places
    elif raw_places is None:
        raw_places = list(db.session.scalars(where_held.distinct()))
    result.places = sorted({p.strip() for p in raw_places} - {""})
    return result


def _fitting_courses(person: ranking.Person, links: dict) -> dict[int, tuple]:
    """Course -> (covered, weighted, module) for the courses that close one of
    the person's gaps or fit their diploma and that they have not booked:
    ranking.course_fit's rule; audience and prerequisites are asked in SQL."""
    open_gaps = {g.competence_id: g for g in person.gaps if g.size}
    fits = {}
    for course_id in set(links) | set(person.modules):
        if course_id in person.booked_course_ids:
            continue
        covered = tuple(cover(open_gaps, links.get(course_id, ())))
        module = person.modules.get(course_id)
        if module is None and not any(c.closes for c in covered):
            continue
        fits[course_id] = (covered, sum(c.weighted for c in covered), module)
    return fits


def _covers_chosen(covered, person: ranking.Person, f: ranking.Filters) -> bool:
    """The area and kind filters: the course raises a gap of that area and kind."""
    if f.area_id is None and f.kind is None:
        return True
    gaps = {g.competence_id: g for g in person.gaps}
    return any(
        (f.area_id is None or gaps[c.competence_id].area_id == f.area_id)
        and (f.kind is None or gaps[c.competence_id].kind == f.kind)
        for c in covered
    )


def _may_take(person: ranking.Person, courses: list[int], now: datetime) -> list:
    """The open sessions of these courses the person may book: the refusals of
    ranking.rules in SQL. The course's (listed, audience, prerequisites met or
    waived) are judged once a course in a subquery, the session's (open, not
    started, not closed, no meeting on one of their busy days) once a session."""
    missing = sa.exists().where(
        course_prerequisites.c.course_id == Course.id,
        course_prerequisites.c.required_course_id.not_in(
            sorted(person.done_course_ids)
        ),
    )
    allowed = sa.select(Course.id).where(
        Course.id.in_(sorted(courses)),
        Course.is_listed(),
        Course.audience.in_([Audience.both, Audience(person.employer_kind)]),
        sa.or_(Course.id.in_(sorted(person.waived_course_ids)), ~missing),
    )
    wheres = [
        CourseSession.course_id.in_(allowed),
        # reads.open_now's rule. The cast keeps SQLite from reading the sessions
        # through the listing index (status, start), every open session in the
        # country (~10,000), instead of those of these courses (~3,000):
        # national dataset, the two statements 72 and 84 -> 27 and 42 ms.
        sa.cast(CourseSession.status, sa.String) == SessionStatus.open.name,
        CourseSession.starts_at > now,
        sa.or_(
            CourseSession.booking_deadline.is_(None),
            CourseSession.booking_deadline >= now,
        ),
    ]
    if person.busy:
        # A session's span holds its live meetings (sessions.services'
        # _refresh_span): only a span that meets a busy day is looked into.
        near = sa.or_(
            *(
                sa.and_(CourseSession.starts_at < end, CourseSession.ends_at >= start)
                for start, end in person.busy
            )
        )
        wheres.append(~sa.and_(near, sa.exists().where(_meeting_on(person.busy))))
    return wheres


def _meeting_on(busy) -> sa.ColumnElement[bool]:
    """A meeting of the session on one of the busy days (whole days, midnight to
    midnight): course_days.share_a_day's rule. It starts before the busy time
    ends and its last day is not before it starts (a meeting ending at midnight
    does not take the next day; one of no length takes its own)."""
    return sa.and_(
        Meeting.course_session_id == CourseSession.id,
        Meeting.cancelled.is_(False),
        sa.or_(
            *(
                sa.and_(
                    Meeting.starts_at < end,
                    sa.or_(
                        Meeting.ends_at > start,
                        sa.and_(
                            Meeting.ends_at <= Meeting.starts_at,
                            Meeting.ends_at >= start,
                        ),
                    ),
                )
                for start, end in busy
            )
        ),
    )


def _midnight(year: int, month: int) -> datetime:
    if month == 13:
        year, month = year + 1, 1
    return datetime.combine(date(year, month, 1), time(0), tzinfo=COPENHAGEN)


def _session_filters(f: ranking.Filters, raw_places: list[str]) -> list:
    """The filters on the session: a free seat, the month of the first course
    day (in Copenhagen), the place (as written, spaces and case aside)."""
    wheres = []
    if f.free_only:
        wheres.append(CourseSession.seats_taken < CourseSession.capacity)
    if f.month is not None:
        year, month = f.month
        wheres.append(CourseSession.starts_at >= _midnight(year, month))
        wheres.append(CourseSession.starts_at < _midnight(year, month + 1))
    if f.place is not None:
        wanted = f.place.casefold()
        wheres.append(
            CourseSession.location.in_(
                [p for p in raw_places if p.strip().casefold() == wanted]
            )
        )
    return wheres


def _read_page(
    result: PersonPage, chosen: dict, links: dict, wheres, end, size, where_held
) -> list[str] | None:
    """The first `end` sessions in ranked order, read with their course,
    provider and queue, and in the same statement the places `where_held`
    selects (returned; None without it). SQL orders by the first start, the
    ranking by the first day and then the id; the two agree but within one day,
    so more rows are read until the row at `end` is followed by one of a later
    day, price or weight. Then every session of the page is among those read."""
    kind = result.person.employer_kind
    weight = sa.case(
        {c: fit[1] for c, fit in chosen.items()},
        value=CourseSession.course_id,
        else_=0,
    )
    column = "price_state" if kind == "state" else "price_municipal"
    price = sa.type_coerce(
        sa.func.coalesce(getattr(CourseSession, column), getattr(Course, column)),
        sa.Numeric(12, 2),
    )
    limit, places = end + size, None
    while True:
        ranked = (
            sa.select(
                CourseSession.id,
                price.label("price"),
                sa.func.count().over().label("total"),
            )
            .join(Course, Course.id == CourseSession.course_id)
            .where(*wheres)
            .order_by(weight.desc(), price, CourseSession.starts_at, CourseSession.id)
            .limit(limit)
            .subquery()
        )
        parts = [sa.select(*ranked.c, sa.cast(sa.null(), sa.String).label("place"))]
        if where_held is not None:
            typed = [sa.cast(sa.null(), c.type) for c in ranked.c]
            parts.append(
                where_held.with_only_columns(*typed, CourseSession.location).distinct()
            )
        both = sa.union_all(*parts).subquery()
        rows = db.session.execute(
            sa.select(
                CourseSession,
                both.c.price,
                both.c.total,
                both.c.place,
                engine.waiting_count(),
            )
            .select_from(both)
            .outerjoin(CourseSession, CourseSession.id == both.c.id)
            .options(joinedload(CourseSession.course).joinedload(Course.provider))
        ).all()
        if where_held is not None:
            places = [place for cs, _p, _t, place, _w in rows if cs is None]
            where_held = None
        rows = [row for row in rows if row[0] is not None]
        made = [_suggestion(result, chosen, links, row[0], row[1]) for row in rows]
        made.sort(key=ranking.Suggestion.sort_key)
        if len(rows) < limit or _group(made[end - 1]) != _group(made[-1]):
            break
        limit *= 2
    result.total = rows[0][2] if rows else 0
    result.items = made[end - size : end]
    for cs, _p, _t, _place, waiting in rows:
        result.sessions[cs.id], result.queues[cs.id] = cs, waiting
    return places


def _group(s: ranking.Suggestion) -> tuple:
    """What SQL orders by as the ranking does: all of its key but the id."""
    return (s.weighted, s.price, s.offer.first_day)


def _suggestion(result: PersonPage, chosen, links, cs: CourseSession, price):
    covered, weighted, module = chosen[cs.course_id]
    course = cs.course
    offer = ranking.Offer(
        course_session_id=cs.id,
        course_id=cs.course_id,
        audience=course.audience.value,
        price_state=_or(cs.price_state, course.price_state),
        price_municipal=_or(cs.price_municipal, course.price_municipal),
        capacity=cs.capacity,
        seats_taken=cs.seats_taken,
        starts_at=cs.starts_at,
        ends_at=cs.ends_at,
        first_day=cs.starts_at.astimezone(COPENHAGEN).date(),
        booking_deadline=cs.booking_deadline,
        links=tuple(links.get(cs.course_id, ())),
        # Not read: the page shows neither (the SQL above applied both rules).
        prerequisites=frozenset(),
        meetings=(),
        location=cs.location,
    )
    open_gaps = result.open_gaps
    return ranking.Suggestion(
        result.person.person_id, offer, covered, open_gaps, price, module, weighted
    )


def _or(own, course):
    return course if own is None else own
