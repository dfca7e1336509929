"""Report pages: jobcentre demand, the team's report and the region side by
side, each with its pictures, its tables and their CSV and Excel."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import Session, aliased

from core import clock
from core.db import db, reads_only, single_read
from core.extensions import current_locale
from core.numbers import ID, NumberError
from core.people.advisers import advised_region_ids
from core.people.models import OrgUnit, UnitKind, User
from core.permissions import require
from core.tables import FORMATS
from core.templating import localised
from learning.assessments.overview import jobcentre_members, led_teams, team_members
from learning.competences.models import Competence
from learning.picker_views import chosen_unit
from learning.reports import charts, courses, demand, figures, kept, report_tables
from learning.reports.permissions import (
    can_see_demand,
    can_see_people_behind,
    can_see_region,
    can_see_team_report,
    own_jobcentre_id,
)
from learning.reports.tables import Table, export

bp = Blueprint("reports", __name__, url_prefix="/rapporter")
# The bars show this many competences; the table beside them has every one.
TOP = 10
# The region's picture of its jobcentres side by side has a column for each of
# this many competences (its table has the region's ten most missing).
SIDE_BY_SIDE = 4
# What a unit argument that names no unit (?jobcentre=abc) is answered with.
NOT_A_UNIT = {
    "jobcentre": _l("Choose a jobcentre from the list."),
    "team": _l("Choose a team from the list."),
    "region": _l("Choose a region from the list."),
}


# --- who sees which unit --------------------------------------------------------


def _units(kind: UnitKind, *where) -> list[OrgUnit]:
    stmt = sa.select(OrgUnit).where(OrgUnit.kind == kind, *where)
    stmt = stmt.order_by(OrgUnit.name)
    if not reads_only():
        return list(db.session.scalars(stmt))
    # A page's only read after the frame's (the kept demand report): outside the
    # request's transaction, one round trip on PostgreSQL instead of BEGIN, the
    # statement and ROLLBACK (bench_pages profile, demand report). The rows join
    # the request's session as they were read (merge without a query), so what
    # else is read of them (an adviser's region) loads there as before.
    with single_read() as connection, Session(bind=connection) as session:
        found = list(session.scalars(stmt))
    return [db.session.merge(unit, load=False) for unit in found]


def _jobcentres() -> list[OrgUnit]:
    """The coordinator's own jobcentre, those of the regions they advise, or
    every one (admins)."""
    if current_user.is_admin:
        return _units(UnitKind.jobcentre)
    return _units(
        UnitKind.jobcentre,
        sa.or_(
            OrgUnit.id == own_jobcentre_id(current_user),
            OrgUnit.parent_id.in_(advised_region_ids(current_user)),
        ),
    )


def _regions() -> list[OrgUnit]:
    if current_user.is_admin:
        return _units(UnitKind.region)
    return _units(UnitKind.region, OrgUnit.id.in_(advised_region_ids(current_user)))


def _chosen(units: list[OrgUnit], arg: str, allowed) -> OrgUnit:
    # The picker would show the first unit for text it cannot read; a report of
    # another unit than the one asked for is worse than a clear refusal.
    text = request.args.get(arg, "").strip()
    if text:
        try:
            ID.arg(text)
        except NumberError:
            abort(400, str(NOT_A_UNIT[arg]))
    if not units:
        abort(403)
    unit = chosen_unit(units, arg)
    require(allowed(current_user, unit))
    return unit


def _year() -> int:
    """The year the team report covers: ?aar=2027, this year by default."""
    this = clock.today().year
    text = request.args.get("aar", "").strip()
    if not text:
        return this
    first, last = this - 10, this + 1
    if not text.isdigit() or not first <= int(text) <= last:
        abort(
            400,
            _("Choose a year between %(first)s and %(last)s.", first=first, last=last),
        )
    return int(text)


# --- the reports' content ----------------------------------------------------------


def _link_for(unit: OrgUnit):
    """The drill-down address of a competence, when the viewer may see names."""
    if not can_see_people_behind(current_user, unit):
        return lambda _competence_id: None
    arg = "jobcentre" if unit.kind is UnitKind.jobcentre else "team"
    return lambda competence_id: url_for(
        ".people_behind", competence_id=competence_id, **{arg: unit.id}
    )


def _bars(found: demand.Demand, title: str):
    return charts.bars(
        [
            (f"{c.competence.code} {localised(c.competence)}", c.weighted)
            for c in found.missing[:TOP]
        ],
        title=title,
        description=_(
            "Weighted gap of the %(count)s competences most missing; the table "
            "below gives every number.",
            count=min(TOP, len(found.missing)),
        ),
        empty=_("No assessed gaps."),
    )


def _side_by_side(matrix: Table, region: OrgUnit):
    """The region's most missing competences, a column each, with a row per
    jobcentre: drawn from the rows of the table beside it (a competence per
    row, a jobcentre per column), so the two cannot differ."""
    shown = matrix.rows[:SIDE_BY_SIDE]
    return charts.side_by_side(
        [column.name for column in matrix.columns[1:]],
        [(row[0], row[1:]) for row in shown],
        title=_(
            "The competences most missing in %(name)s, jobcentre by jobcentre",
            name=region.name,
        ),
        description=_(
            "Weighted gap in each of the %(count)s competences the region misses "
            "most, a column each on one scale, a row per jobcentre; the table "
            "below gives every number.",
            count=len(shown),
        ),
        empty=_("No assessed gaps."),
    )


def _jobcentre_report(jobcentre: OrgUnit) -> kept.Kept:
    """The jobcentre's demand and its tables, as this worker computed them in
    the last few minutes (learning.reports.kept): (demand, tables, chart)."""
    link = _link_for(jobcentre)
    # What the kept tables hold besides the data: the reader's language and
    # time zone (texts, dates), and whether their competences link to names.
    key = (
        "jobcentre",
        jobcentre.id,
        can_see_people_behind(current_user, jobcentre),
        str(current_locale()),
        str(get_timezone()),
    )

    def compute():
        members, named = courses.people_and_courses(jobcentre)
        found = demand.demand_for(members)
        tables = report_tables.demand_tables(found, link, jobcentre, named)
        title = _("The competences most missing in %(name)s", name=jobcentre.name)
        return found, tables, _bars(found, title)

    return kept.kept(key, compute)


def _team_report(team: OrgUnit, year: int):
    members, named = courses.people_and_courses(team)
    found = demand.demand_for(members)
    tables = report_tables.demand_tables(found, _link_for(team), None, named)
    the_year = figures.team_year(team, year)
    return found, the_year, report_tables.year_tables(the_year) + tables


def _region_report(region: OrgUnit):
    """The region's jobcentres with their active people's ids and employer kinds
    in one query (a jobcentre without people is a row too), and their demand."""
    team = aliased(OrgUnit)
    rows = db.session.execute(
        sa.select(OrgUnit, User.id, User.employer_kind)
        .outerjoin(team, team.parent_id == OrgUnit.id)
        .outerjoin(User, sa.and_(User.team_id == team.id, User.active.is_(True)))
        .where(OrgUnit.kind == UnitKind.jobcentre, OrgUnit.parent_id == region.id)
        .order_by(OrgUnit.name, OrgUnit.id)
    )
    jobcentres: list[OrgUnit] = []
    groups: dict[int, list] = {}
    for jobcentre, person_id, employer_kind in rows:
        if jobcentre.id not in groups:
            jobcentres.append(jobcentre)
            groups[jobcentre.id] = []
        if person_id is not None:
            groups[jobcentre.id].append(demand.Member(person_id, employer_kind))
    demands = demand.demand_by_group(groups)
    return jobcentres, demands, report_tables.region_tables(jobcentres, demands)


def _known_format(fmt: str) -> None:
    """An export in a format we do not write is refused before its report is
    built (the report of a national jobcentre takes a second)."""
    if fmt not in FORMATS:
        abort(404)


def _download(tables, fmt: str, name: str):
    response = export(tables, fmt, name, request.args.get("tabel"))
    if response is None:
        abort(404)
    return response


# --- pages ----------------------------------------------------------------------------


@bp.route("/efterspoergsel")
@login_required
def jobcentre():
    require(can_see_demand(current_user))
    units = _jobcentres()
    unit = _chosen(units, "jobcentre", can_see_demand)
    report = _jobcentre_report(unit)
    found, tables, chart = report.value
    export_args = {"jobcentre": unit.id} if len(units) > 1 else {}
    return render_template(
        "learning/reports/jobcentre.html",
        units=units,
        unit=unit,
        demand=found,
        computed_at=report.computed_at,
        lag_minutes=kept.lifetime_minutes(),
        report_tables=report.rendered(
            tuple(export_args.items()),
            lambda: render_template(
                "learning/reports/_demand_tables.html",
                tables=tables,
                chart=chart,
                export_args=export_args,
            ),
        ),
        export_args=export_args,
    )


@bp.route("/efterspoergsel/eksport.<fmt>")
@login_required
def jobcentre_export(fmt: str):
    require(can_see_demand(current_user))
    _known_format(fmt)
    unit = _chosen(_jobcentres(), "jobcentre", can_see_demand)
    _found, tables, _chart = _jobcentre_report(unit).value
    return _download(tables, fmt, f"efterspoergsel-{clock.today().isoformat()}")


@bp.route("/team")
@login_required
def team():
    require(can_see_team_report(current_user))
    units = led_teams(current_user, everyone=current_user.is_admin)
    unit = _chosen(units, "team", can_see_team_report)
    year = _year()
    found, the_year, tables = _team_report(unit, year)
    return render_template(
        "learning/reports/team.html",
        units=units,
        unit=unit,
        year=year,
        demand=found,
        tables=tables,
        chart=_bars(
            found, _("The competences most missing in %(name)s", name=unit.name)
        ),
        spend_chart=charts.months(
            report_tables.month_names(),
            the_year.spent_by_month,
            the_year.budget["budget"],
            title=_("Approved spend against the budget, %(year)s", year=year),
            description=_(
                "Approved bookings so far at the end of each month, against the "
                "team's budget (the dashed line)."
            ),
            empty=_("No budget and no approved bookings this year."),
        ),
        export_args={"team": unit.id, "aar": year},
    )


@bp.route("/team/eksport.<fmt>")
@login_required
def team_export(fmt: str):
    require(can_see_team_report(current_user))
    _known_format(fmt)
    units = led_teams(current_user, everyone=current_user.is_admin)
    unit = _chosen(units, "team", can_see_team_report)
    year = _year()
    _found, _year_figures, tables = _team_report(unit, year)
    return _download(tables, fmt, f"teamrapport-{year}")


@bp.route("/region")
@login_required
def region():
    require(can_see_region(current_user))
    units = _regions()
    unit = _chosen(units, "region", can_see_region)
    jobcentres, demands, tables = _region_report(unit)
    return render_template(
        "learning/reports/region.html",
        units=units,
        unit=unit,
        tables=tables,
        chart=charts.bars(
            [
                (j.name, round(demands[j.id].weighted / demands[j.id].people, 1))
                for j in jobcentres
                if demands[j.id].people
            ],
            title=_("Weighted gap per person by jobcentre in %(name)s", name=unit.name),
            description=_(
                "The gap per person lets jobcentres of different sizes be compared; "
                "the table below gives every number."
            ),
            empty=_("No one works in the region's jobcentres yet."),
        ),
        side_by_side=_side_by_side(tables[1], unit),
        export_args={"region": unit.id} if len(units) > 1 else {},
    )


@bp.route("/region/eksport.<fmt>")
@login_required
def region_export(fmt: str):
    require(can_see_region(current_user))
    _known_format(fmt)
    unit = _chosen(_regions(), "region", can_see_region)
    _jobcentres_, _demands, tables = _region_report(unit)
    return _download(tables, fmt, f"region-{clock.today().isoformat()}")


@bp.route("/efterspoergsel/kompetencer/<int:competence_id>")
@login_required
def people_behind(competence_id: int):
    """The people behind one competence's numbers, for a jobcentre or a team."""
    competence = db.get_or_404(Competence, competence_id)
    if "team" in request.args:
        units = led_teams(current_user, everyone=current_user.is_admin)
        unit = _chosen(units, "team", can_see_people_behind)
        people = team_members(unit)
    else:
        require(can_see_demand(current_user))
        unit = _chosen(_jobcentres(), "jobcentre", can_see_people_behind)
        people = jobcentre_members(unit)
    below, unrated = demand.people_behind(people, competence_id)
    return render_template(
        "learning/reports/people.html",
        unit=unit,
        competence=competence,
        below=below,
        unrated=unrated,
    )
