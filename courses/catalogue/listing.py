"""The catalogue's query string: strict parsing, the query, a page's facts."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from core.db import utcnow
from core.people.models import EmployerKind
from courses.catalogue.contributions import contributions
from courses.catalogue.errors import ListingError
from courses.catalogue.models import Audience, Course

SORTS = ("title", "date", "price")
# The years a date filter may name: others are typing mistakes.
FIRST_YEAR, LAST_YEAR = 2000, 2100
PAGE_SIZES = (10, 20, 50, 100)
ALLOWED = frozenset(
    {"q", "category", "provider", "audience", "from", "to", "free", "diploma"}
    | {"sort", "page", "per_page"}
)


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
        raise ListingError("bad_number", name=name)
    return int(raw)


def _date(args: MultiDict, name: str) -> date | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise ListingError("bad_date", name=name) from exc
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ListingError("bad_date", name=name)
    return day


def _flag(args: MultiDict, name: str) -> bool:
    raw = args.get(name, "").strip()
    if raw not in ("", "0", "1"):
        raise ListingError("bad_flag", name=name)
    return raw == "1"


def _choice(args: MultiDict, name: str, choices, default):
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if raw not in choices:
        raise ListingError("bad_choice", name=name)
    return raw


def parse_query(args: MultiDict) -> CatalogueQuery:
    """Read the catalogue's filters; unknown or malformed ones raise ListingError."""
    unknown = sorted(set(args) - ALLOWED)
    if unknown:
        raise ListingError("unknown_filter", name=unknown[0])
    for name in args:
        if len(args.getlist(name)) > 1:
            raise ListingError("repeated_filter", name=name)
        if "\x00" in args[name]:
            raise ListingError("bad_text", name=name)
    q = args.get("q", "").strip()
    if len(q) > 200:
        raise ListingError("too_long", name="q")
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
        raise ListingError("dates_reversed", name="to")
    return query


def _audience_clause(audience: Audience):
    if audience is Audience.both:
        return Course.audience == Audience.both
    return Course.audience.in_([audience, Audience.both])


def catalogue_select(
    query: CatalogueQuery, employer_kind: EmployerKind, *, now: datetime | None = None
) -> sa.Select:
    """The courses that match `query`, in its order.

    Category, provider, audience and the price order have indexes on courses,
    and the session and diploma filters (contributed by those areas) on theirs;
    the text search is a substring match that no index serves, so it reads every
    course still in the catalogue, and the date order reads each course's first
    start.
    """
    now = now or utcnow()
    parts = contributions().listing
    stmt = sa.select(Course).where(Course.is_listed())
    for word in query.q.casefold().split():
        stmt = stmt.where(Course.search_text.contains(word, autoescape=True))
    if query.category:
        stmt = stmt.where(Course.category_id == query.category)
    if query.provider:
        stmt = stmt.where(Course.provider_id == query.provider)
    if query.audience:
        stmt = stmt.where(_audience_clause(query.audience))
    for part in parts:
        stmt = stmt.where(*part.where(query, now))
    return stmt.order_by(*_order(query.sort, employer_kind, now, parts), Course.id)


def _order(sort: str, employer_kind: EmployerKind, now: datetime, parts) -> list:
    if sort == "price":
        state = employer_kind is EmployerKind.state
        price = Course.price_state if state else Course.price_municipal
        return [price, Course.title]
    for part in parts:
        terms = part.order(sort, now)
        if terms is not None:
            return terms
    return [Course.title]


def page_facts(course_ids: list[int], *, now: datetime | None = None) -> dict:
    """What the contributing areas show beside one page of courses."""
    now = now or utcnow()
    facts: dict = {}
    for part in contributions().listing:
        facts |= part.facts(course_ids, now)
    return facts
