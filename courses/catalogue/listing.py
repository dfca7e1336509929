"""The catalogue's query string: strict parsing, an indexed query, a page summary."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from core.db import db, utcnow
from core.people.models import EmployerKind
from courses.catalogue.models import Audience, Course
from courses.diplomas.models import DiplomaModule
from courses.sessions.models import CourseSession, SessionStatus
from courses.sessions.timing import COPENHAGEN, FIRST_YEAR, LAST_YEAR

SORTS = ("title", "date", "price")
PAGE_SIZES = (10, 20, 50, 100)
ALLOWED = frozenset(
    {"q", "category", "provider", "audience", "from", "to", "free", "diploma"}
    | {"sort", "page", "per_page"}
)


class ListingError(ValueError):
    """A query string the catalogue cannot answer; `code` names what is wrong."""

    def __init__(self, code: str, name: str = ""):
        super().__init__(code)
        self.code = code
        self.name = name


@dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    category: int | None = None
    provider: int | None = None
    audience: Audience | None = None
    date_from: date | None = None
    date_to: date | None = None
    free: bool = False
    diploma: bool = False
    sort: str = "title"
    page: int = 1
    per_page: int = 20

    @property
    def filtered(self) -> bool:
        return self != CatalogueQuery(sort=self.sort, per_page=self.per_page)


def _int(args: MultiDict, name: str, low: int = 1, high: int = 10**9) -> int | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ListingError("bad_number", name)
    return int(raw)


def _date(args: MultiDict, name: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ListingError("bad_date", name) from exc
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ListingError("bad_date", name)
    return day


def _flag(args: MultiDict, name: str) -> bool:
    raw = args.get(name, "").strip()
    if raw not in ("", "0", "1"):
        raise ListingError("bad_flag", name)
    return raw == "1"


def _choice(args: MultiDict, name: str, choices, default):
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if raw not in choices:
        raise ListingError("bad_choice", name)
    return raw


def parse_query(args: MultiDict) -> CatalogueQuery:
    """Read the catalogue's filters; unknown or malformed ones raise ListingError."""
    unknown = sorted(set(args) - ALLOWED)
    if unknown:
        raise ListingError("unknown_filter", unknown[0])
    for name in args:
        if len(args.getlist(name)) > 1:
            raise ListingError("repeated_filter", name)
        if "\x00" in args[name]:
            raise ListingError("bad_text", name)
    q = args.get("q", "").strip()
    if len(q) > 200:
        raise ListingError("too_long", "q")
    audience = _choice(args, "audience", [a.value for a in Audience], None)
    per_page = _choice(args, "per_page", [str(n) for n in PAGE_SIZES], "20")
    query = CatalogueQuery(
        q=q,
        category=_int(args, "category"),
        provider=_int(args, "provider"),
        audience=Audience(audience) if audience else None,
        date_from=_date(args, "from"),
        date_to=_date(args, "to"),
        free=_flag(args, "free"),
        diploma=_flag(args, "diploma"),
        sort=_choice(args, "sort", SORTS, "title"),
        page=_int(args, "page", high=100_000) or 1,
        per_page=int(per_page),
    )
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ListingError("dates_reversed", "to")
    return query


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=COPENHAGEN)


def _upcoming(now: datetime) -> list:
    return [
        CourseSession.course_id == Course.id,
        CourseSession.status != SessionStatus.cancelled,
        CourseSession.starts_at > now,
    ]


def _audience_clause(audience: Audience):
    if audience is Audience.both:
        return Course.audience == Audience.both
    return Course.audience.in_([audience, Audience.both])


def catalogue_select(
    query: CatalogueQuery, employer_kind: EmployerKind, *, now: datetime | None = None
) -> sa.Select:
    """The courses that match `query`, in its order; every filter has an index."""
    now = now or utcnow()
    stmt = sa.select(Course).where(Course.archived_at.is_(None))
    for word in query.q.casefold().split():
        stmt = stmt.where(Course.search_text.contains(word, autoescape=True))
    if query.category:
        stmt = stmt.where(Course.category_id == query.category)
    if query.provider:
        stmt = stmt.where(Course.provider_id == query.provider)
    if query.audience:
        stmt = stmt.where(_audience_clause(query.audience))
    if query.diploma:
        stmt = stmt.where(sa.exists().where(DiplomaModule.course_id == Course.id))
    session_filters = _upcoming(now)
    if query.date_from:
        session_filters.append(
            CourseSession.starts_at >= _local_midnight(query.date_from)
        )
    if query.date_to:
        end = _local_midnight(query.date_to + timedelta(days=1))
        session_filters.append(CourseSession.starts_at < end)
    if query.free:
        session_filters.append(CourseSession.seats_taken < CourseSession.capacity)
    if query.date_from or query.date_to or query.free:
        stmt = stmt.where(sa.exists().where(*session_filters))
    return stmt.order_by(*_order(query.sort, employer_kind, now), Course.id)


def _order(sort: str, employer_kind: EmployerKind, now: datetime) -> list:
    if sort == "price":
        state = employer_kind is EmployerKind.state
        price = Course.price_state if state else Course.price_municipal
        return [price, Course.title]
    if sort == "date":
        first = (
            sa.select(sa.func.min(CourseSession.starts_at))
            .where(*_upcoming(now))
            .correlate(Course)
            .scalar_subquery()
        )
        return [sa.nulls_last(first), Course.title]
    return [Course.title]


@dataclass(frozen=True)
class Upcoming:
    """What the catalogue shows about a course's upcoming sessions."""

    sessions: int
    first_start: datetime | None
    seats_left: int


def upcoming_by_course(course_ids: list[int], *, now: datetime | None = None):
    """One query: per course, the upcoming sessions, the first start and free seats."""
    if not course_ids:
        return {}
    now = now or utcnow()
    free = sa.case(
        (
            CourseSession.capacity > CourseSession.seats_taken,
            CourseSession.capacity - CourseSession.seats_taken,
        ),
        else_=0,
    )
    rows = db.session.execute(
        sa.select(
            CourseSession.course_id,
            sa.func.count(CourseSession.id),
            sa.func.min(CourseSession.starts_at),
            sa.func.sum(free),
        )
        .where(
            CourseSession.course_id.in_(course_ids),
            CourseSession.status != SessionStatus.cancelled,
            CourseSession.starts_at > now,
        )
        .group_by(CourseSession.course_id)
    )
    result = {}
    for course_id, count, first, seats in rows:
        result[course_id] = Upcoming(int(count), first, int(seats or 0))
    return result


def diploma_course_ids(course_ids: list[int]) -> set[int]:
    if not course_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(DiplomaModule.course_id).where(
                DiplomaModule.course_id.in_(course_ids)
            )
        )
    )
