"""The suggestion pages' query string: strict parsing into ranking.Filters."""

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from courses.sessions.timing import FIRST_YEAR, LAST_YEAR
from learning.competences.models import CompetenceKind
from learning.matching.errors import FilterError
from learning.matching.ranking import Filters

ALLOWED = frozenset({"area", "kind", "month", "place", "free", "page", "team"})
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Query:
    filters: Filters
    page: int = 1

    @property
    def filtered(self) -> bool:
        return self.filters != Filters()


def _number(raw: str, name: str, high: int = 10**9) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise FilterError("bad_number", name=name)
    return int(raw)


def _month(raw: str) -> tuple[int, int]:
    year, _, month = raw.partition("-")
    if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        raise FilterError("bad_month", name="month")
    if not (FIRST_YEAR <= int(year) <= LAST_YEAR and 1 <= int(month) <= 12):
        raise FilterError("bad_month", name="month")
    return int(year), int(month)


def parse(args: MultiDict, *, area_ids: set[int]) -> Query:
    """Read the filters; unknown, repeated or malformed ones raise FilterError."""
    unknown = sorted(set(args) - ALLOWED)
    if unknown:
        raise FilterError("unknown_filter", name=unknown[0])
    for name in args:
        if len(args.getlist(name)) > 1:
            raise FilterError("repeated_filter", name=name)
        if "\x00" in args[name] or len(args[name]) > 300:
            raise FilterError("bad_text", name=name)
    get = {name: args.get(name, "").strip() for name in ALLOWED}
    area = _number(get["area"], "area") if get["area"] else None
    if area is not None and area not in area_ids:
        raise FilterError("unknown_area", name="area")
    kinds = {k.value for k in CompetenceKind}
    if get["kind"] and get["kind"] not in kinds:
        raise FilterError("bad_choice", name="kind")
    if get["free"] not in ("", "0", "1"):
        raise FilterError("bad_flag", name="free")
    if get["team"]:
        _number(get["team"], "team")
    filters = Filters(
        area_id=area,
        kind=get["kind"] or None,
        month=_month(get["month"]) if get["month"] else None,
        place=get["place"] or None,
        free_only=get["free"] == "1",
    )
    page = _number(get["page"], "page", MAX_PAGE) if get["page"] else 1
    return Query(filters, page)
