"""The reports' tables, built from their figures (demand.py, figures.py): the
same rows on the page, in the CSV and in the workbook."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask_babel import format_date, get_timezone
from flask_babel import gettext as _

from core.extensions import current_locale
from core.people.models import OrgUnit
from core.templating import localised
from learning.competences.labels import KIND_LABELS, LAYER_LABELS
from learning.matching.ranking import collections_paused
from learning.plans.labels import STATUS_LABELS
from learning.reports.courses import NamedCourses, named_courses
from learning.reports.demand import CLOSING_PER_COMPETENCE, Demand
from learning.reports.figures import Year
from learning.reports.tables import COUNT, LEVELS, MONEY, Column, Table

# A page shows this many sessions that would close gaps; the export has them all.
SESSIONS_ON_PAGE = 25


def competence_table(demand: Demand, link: Callable[[int], str | None]) -> Table:
    table = Table(
        "kompetencer",
        _("The competences most missing"),
        [
            Column(_("Competence")),
            Column(_("Layer")),
            Column(_("Kind")),
            Column(_("Need it"), COUNT),
            Column(_("Below target"), COUNT),
            Column(_("Levels missing"), COUNT),
            Column(_("Weighted gap"), COUNT),
            Column(_("Not assessed"), COUNT),
        ],
        caption=_(
            "Weighted gap: the levels missing times the competence's priority, "
            "summed over the people below the target. People not assessed in a "
            "competence are counted apart, not as a gap."
        ),
    )
    for c in demand.competences:
        competence = c.competence
        table.rows.append(
            [
                f"{competence.code} {localised(competence)}",
                str(LAYER_LABELS[competence.layer]),
                str(KIND_LABELS[competence.kind]),
                c.required,
                c.below,
                c.levels,
                c.weighted,
                c.not_assessed,
            ]
        )
        table.links.append(link(competence.id) if c.below or c.not_assessed else None)
    return table


def bucket_table(demand: Demand) -> Table:
    table = Table(
        "lag-og-art",
        _("Gaps by layer and kind"),
        [
            Column(_("Layer")),
            Column(_("Kind")),
            Column(_("Competences"), COUNT),
            Column(_("People with a gap"), COUNT),
            Column(_("Below target"), COUNT),
            Column(_("Weighted gap"), COUNT),
            Column(_("Not assessed"), COUNT),
        ],
    )
    for b in demand.buckets:
        table.rows.append(
            [
                str(LAYER_LABELS[b.layer]),
                str(KIND_LABELS[b.kind]),
                b.competences,
                len(b.people),
                b.below,
                b.weighted,
                b.not_assessed,
            ]
        )
    return table


class Periods:
    """When each session runs, as the tables write it ("3. marts 2027", "3. marts
    – 5. marts 2027"), in the reader's time zone.

    Each distinct day, or pair of days, is formatted once, and the zone's offset
    is looked up once an hour of UTC (zones change their offset on the hour): a
    national jobcentre's demand lists 10,000 sessions on a few hundred days, and
    Babel's formatting, with its zone conversion and context look-ups for each
    date, cost 0.15 ms a date, half of the report's time."""

    def __init__(self):
        self.zone = get_timezone()
        self.months = current_locale().months["format"]["wide"]
        self.known: dict[tuple, str] = {}
        self.by_moments: dict[tuple, str] = {}
        self.offsets: dict[datetime, timedelta] = {}
        self.days: dict[datetime, date] = {}

    def _day(self, moment: datetime) -> date:
        """The day in the reader's zone, as flask_babel.to_user_timezone has it."""
        day = self.days.get(moment)
        if day is None:
            day = self.days[moment] = self._local_day(moment)
        return day

    def _local_day(self, moment: datetime) -> date:
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        hour = moment.replace(minute=0, second=0, microsecond=0)
        offset = self.offsets.get(hour)
        if offset is None:
            local = self.zone.normalize(hour.replace(tzinfo=UTC).astimezone(self.zone))
            offset = self.offsets[hour] = local.utcoffset()
        return (moment + offset).date()

    def __call__(self, offer) -> str:
        if offer.starts_at is None:
            return self._text(offer)
        # Sessions start and end at the same few times of day: most are known.
        moments = (offer.starts_at, offer.ends_at)
        text = self.by_moments.get(moments)
        if text is None:
            text = self.by_moments[moments] = self._text(offer)
        return text

    def _text(self, offer) -> str:
        if offer.starts_at is not None:
            start = self._day(offer.starts_at)
            key = (start, self._day(offer.ends_at) if offer.ends_at else start)
        else:
            key = (offer.first_day, None)
        text = self.known.get(key)
        if text is None:
            text = self.known[key] = self._format(*key)
        return text

    def _format(self, start: date | None, end: date | None) -> str:
        # Babel's "d. MMMM y" written from its locale's month names: the same
        # text without parsing the pattern and reading the request's locale for
        # each date (a national report's sessions run on ~800 day pairs: 40 % of
        # its tables' time, bench_reports); Babel's "d" and "y" pad nothing.
        if start is None:
            return ""
        if end is None or end == start:
            return f"{start.day}. {self.months[start.month]} {start.year}"
        return (
            f"{start.day}. {self.months[start.month]} – "
            f"{end.day}. {self.months[end.month]} {end.year}"
        )


def session_table(
    demand: Demand, titles: dict[int, str], period: Periods | None = None
) -> Table:
    period = period or Periods()
    table = Table(
        "hold",
        _("Sessions that would close the gaps"),
        [
            Column(_("Course")),
            Column(_("When")),
            Column(_("State staff helped"), COUNT),
            Column(_("Municipal staff helped"), COUNT),
            Column(_("Price, state (kr.)"), MONEY),
            Column(_("Price, municipal (kr.)"), MONEY),
            Column(_("A seat for each (kr.)"), MONEY),
        ],
        caption=_(
            "Open sessions of the courses that develop a missing competence to "
            "the target, with the people whose gap each would close, most first."
        ),
        on_page=SESSIONS_ON_PAGE,
    )
    rows, title = table.rows, titles.get  # a row for each of 10,000 sessions
    for offer, _closes, state, municipal, _weighted, cost in demand.sessions:
        rows.append(
            [
                title(offer.course_id, ""),
                period(offer),
                state,
                municipal,
                offer.price_state,
                offer.price_municipal,
                cost,
            ]
        )
    return table


def closing_table(
    demand: Demand, titles: dict[int, str], period: Periods | None = None
) -> Table:
    """Per missing competence, the sessions that close it for most people, and
    'no open session' where none does: what there is nothing to book for."""
    period = period or Periods()
    table = Table(
        "hold-pr-kompetence",
        _("Sessions per competence"),
        [
            Column(_("Competence")),
            Column(_("Course")),
            Column(_("When")),
            Column(_("People whose gap it closes"), COUNT),
            Column(_("Price, state (kr.)"), MONEY),
            Column(_("Price, municipal (kr.)"), MONEY),
        ],
        caption=_(
            "For each missing competence, the %(count)s open sessions that would "
            "close the gap for most of the people below the target.",
            count=CLOSING_PER_COMPETENCE,
        ),
    )
    for c in demand.missing:
        name = f"{c.competence.code} {localised(c.competence)}"
        closing = demand.closing.get(c.competence.id, [])
        if not closing:
            table.rows.append([name, _("No open session"), "", None, None, None])
        for item in closing[:CLOSING_PER_COMPETENCE]:
            offer = item.offer
            table.rows.append(
                [
                    name,
                    titles.get(offer.course_id, ""),
                    period(offer),
                    item.people,
                    offer.price_state,
                    offer.price_municipal,
                ]
            )
    return table


def interest_table(interest: list[tuple[str, int]]) -> Table:
    """Declared interest in courses with no session to book."""
    return Table(
        "interesse",
        _("Declared interest in courses without sessions"),
        [Column(_("Course")), Column(_("People interested"), COUNT)],
        rows=[[title, n] for title, n in interest],
    )


def demand_tables(
    demand: Demand,
    link: Callable[[int], str | None],
    jobcentre: OrgUnit | None,
    named: NamedCourses | None = None,
) -> list[Table]:
    """The demand's tables; a jobcentre's add the interest its people declared.
    The courses are read here unless `named` already holds them."""
    if named is None:
        named = named_courses(
            {s.offer.course_id for s in demand.sessions},
            jobcentre.id if jobcentre is not None else None,
        )
    tables = [competence_table(demand, link), bucket_table(demand)]
    period = Periods()  # the two session tables share their formatted days
    with collections_paused():  # a row for each of thousands of sessions
        tables += [
            session_table(demand, named.titles, period),
            closing_table(demand, named.titles, period),
        ]
    if jobcentre is not None:
        tables.append(interest_table(named.interest))
    return tables


def month_names() -> list[str]:
    return [format_date(date(2000, m, 1), "MMM") for m in range(1, 13)]


def year_tables(year: Year) -> list[Table]:
    figures = year.budget
    budget = Table(
        "budget",
        _("Budget %(year)s", year=year.year),
        [
            Column(_("Budget (kr.)"), MONEY),
            Column(_("Approved (kr.)"), MONEY),
            Column(_("Remaining (kr.)"), MONEY),
            Column(_("Awaiting approval (kr.)"), MONEY),
            Column(_("Would remain if all were approved (kr.)"), MONEY),
        ],
        rows=[
            [
                figures["budget"],
                figures["committed"],
                figures["remaining"],
                figures["pending"],
                figures["remaining_if_approved"],
            ]
        ],
    )
    months = Table(
        "maaneder",
        _("Month by month, %(year)s", year=year.year),
        [
            Column(_("Month")),
            Column(_("Bookings made"), COUNT),
            Column(_("Courses completed"), COUNT),
            Column(_("Approved so far (kr.)"), MONEY),
        ],
    )
    for name, booked, completed, spent in zip(
        month_names(), year.booked, year.completed, year.spent_by_month, strict=True
    ):
        months.rows.append([name, booked, completed, spent])
    plans = Table(
        "planer",
        _("Development plans by state"),
        [Column(_("State")), Column(_("Plans"), COUNT)],
        rows=[[str(STATUS_LABELS[s]), n] for s, n in year.plans.items()],
    )
    return [budget, months, plans]


def region_tables(
    jobcentres: list[OrgUnit], demands: dict[int, Demand], top: int = 10
) -> list[Table]:
    summary = Table(
        "jobcentre",
        _("The jobcentres side by side"),
        [
            Column(_("Jobcentre")),
            Column(_("People"), COUNT),
            Column(_("Assessed"), COUNT),
            Column(_("Never assessed"), COUNT),
            Column(_("Below target"), COUNT),
            Column(_("Weighted gap"), COUNT),
            Column(_("Weighted gap per person"), LEVELS),
            Column(_("Most missing competence")),
        ],
    )
    totals: dict[int, int] = {}
    names: dict[int, str] = {}
    for unit in jobcentres:
        demand = demands[unit.id]
        missing = demand.missing
        below = sum(c.below for c in demand.competences)
        per_person = round(demand.weighted / demand.people, 1) if demand.people else 0
        summary.rows.append(
            [
                unit.name,
                demand.people,
                demand.assessed,
                demand.never_assessed,
                below,
                demand.weighted,
                per_person,
                localised(missing[0].competence) if missing else "",
            ]
        )
        for c in demand.competences:
            totals[c.competence.id] = totals.get(c.competence.id, 0) + c.weighted
            names[c.competence.id] = f"{c.competence.code} {localised(c.competence)}"
    leading = sorted((cid for cid in totals if totals[cid]), key=lambda i: -totals[i])
    matrix = Table(
        "kompetencer",
        _("Weighted gap in the region's most missing competences"),
        [Column(_("Competence"))] + [Column(unit.name, COUNT) for unit in jobcentres],
    )
    for cid in leading[:top]:
        by_unit = {
            unit.id: next(
                (
                    c.weighted
                    for c in demands[unit.id].competences
                    if c.competence.id == cid
                ),
                0,
            )
            for unit in jobcentres
        }
        matrix.rows.append([names[cid]] + [by_unit[u.id] for u in jobcentres])
    return [summary, matrix, region_bucket_table(jobcentres, demands)]


def region_bucket_table(jobcentres: list[OrgUnit], demands: dict[int, Demand]) -> Table:
    """Each jobcentre's weighted gap by layer and kind, side by side."""
    first = demands[jobcentres[0].id].buckets if jobcentres else []
    table = Table(
        "lag-og-art",
        _("Weighted gap by layer and kind"),
        [Column(_("Jobcentre"))]
        + [
            Column(
                _(
                    "%(layer)s, %(kind)s",
                    layer=LAYER_LABELS[b.layer],
                    kind=str(KIND_LABELS[b.kind]).lower(),
                ),
                COUNT,
            )
            for b in first
        ],
    )
    for unit in jobcentres:
        buckets = demands[unit.id].buckets
        table.rows.append([unit.name] + [b.weighted for b in buckets])
    return table
