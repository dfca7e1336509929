"""The purchase plan's pages: the question and the plan beside the greedy
choice, its export, and the one button that turns it into booking requests."""

from datetime import timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from core import clock
from core.db import db
from core.people.advisers import advised_region_ids
from core.people.models import OrgUnit, UnitKind
from core.permissions import require
from core.tables import FORMATS, download
from learning.picker_views import chosen_unit
from learning.reports.purchase import exports, services
from learning.reports.purchase.errors import PurchaseError
from learning.reports.purchase.forms import PlanQueryForm, RequestSeatsForm
from learning.reports.purchase.permissions import (
    can_request_purchase,
    can_see_purchase_plan,
)

bp = Blueprint("purchase", __name__, url_prefix="/rapporter/indkoebsplan")
QUESTION = ("budget", "starts_on", "ends_on")
TEMPLATE = "learning/reports/purchase/plan.html"


def _jobcentres() -> list[OrgUnit]:
    """The coordinator's own jobcentre, those of the regions they advise, or
    every one (admins)."""
    query = sa.select(OrgUnit).where(OrgUnit.kind == UnitKind.jobcentre)
    if not current_user.is_admin:
        own = current_user.team.parent_id if current_user.team else None
        regions = advised_region_ids(current_user)
        query = query.where(sa.or_(OrgUnit.id == own, OrgUnit.parent_id.in_(regions)))
    return list(db.session.scalars(query.order_by(OrgUnit.name)))


def _jobcentre(units: list[OrgUnit]) -> OrgUnit:
    if not units:
        abort(403)
    chosen = chosen_unit(units, "jobcentre")
    require(can_see_purchase_plan(current_user, chosen))
    return chosen


def _question(args) -> PlanQueryForm:
    """The question read from the query string `args` (None: not asked yet);
    the period is the next 12 months where it names none."""
    today = clock.today()
    period = {"starts_on": today, "ends_on": today + timedelta(days=364)}
    if args is None:
        return PlanQueryForm(formdata=None, **period)
    formdata = MultiDict(args)
    for name, day in period.items():
        formdata.setdefault(name, day.isoformat())
    return PlanQueryForm(formdata=formdata)


def _ask(form, jobcentre: OrgUnit) -> services.Ask | None:
    """The question when the form holds a valid one, else None (errors on it)."""
    if not form.validate():
        return None
    try:
        services.check_period(form.starts_on.data, form.ends_on.data)
    except PurchaseError as exc:
        exc.add_to(form)
        return None
    return services.Ask(
        jobcentre, form.budget.data, form.starts_on.data, form.ends_on.data
    )


def _render(units, jobcentre, form, *, result=None, status=200):
    return render_template(
        TEMPLATE,
        units=units,
        unit=jobcentre,
        form=form,
        result=result,
        may_request=can_request_purchase(current_user, jobcentre),
    ), status


@bp.route("")
@login_required
def plan():
    require(can_see_purchase_plan(current_user))
    units = _jobcentres()
    jobcentre = _jobcentre(units)
    asked = any(name in request.args for name in QUESTION)
    form = _question(request.args if asked else None)
    if not asked:
        return _render(units, jobcentre, form)
    ask = _ask(form, jobcentre)
    if ask is None:
        return _render(units, jobcentre, form, status=400)
    result = services.purchase_plan(
        ask, time_limit=current_app.config["PURCHASE_PLAN_SECONDS"]
    )
    return _render(units, jobcentre, form, result=result)


@bp.route("/eksport.<fmt>")
@login_required
def export(fmt: str):
    require(can_see_purchase_plan(current_user))
    if fmt not in FORMATS:
        abort(404)
    units = _jobcentres()
    jobcentre = _jobcentre(units)
    form = _question(request.args)
    ask = _ask(form, jobcentre)
    if ask is None:
        return _render(units, jobcentre, form, status=400)
    result = services.purchase_plan(
        ask, time_limit=current_app.config["PURCHASE_PLAN_SECONDS"]
    )
    name = f"indkoebsplan-{ask.starts_on.isoformat()}"
    if fmt == "xlsx":
        greedy = services.session_rows(result.built, result.greedy)
        return exports.workbook(result, greedy, name)
    columns = exports.seat_columns()
    return download(
        fmt, columns, exports.seat_rows(result.sessions), name=name, title=name
    )


def _keys(text: str) -> list[tuple[int, int]]:
    pairs = [tuple(int(n) for n in item.split("-")) for item in text.split()]
    if len(set(pairs)) != len(pairs):
        abort(400)
    return pairs


@bp.route("/anmod", methods=["POST"])
@login_required
def request_seats():
    require(can_see_purchase_plan(current_user))
    units = _jobcentres()
    jobcentre = _jobcentre(units)
    require(can_request_purchase(current_user, jobcentre))
    form = RequestSeatsForm()
    ask = _ask(form, jobcentre)
    if ask is None:
        return _render(units, jobcentre, form, status=400)
    try:
        made = services.request_seats(current_user, ask, _keys(form.seats.data))
    except PurchaseError as exc:
        db.session.rollback()
        exc.add_to(form)
        return _render(units, jobcentre, form, status=409)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d booking request is waiting for the manager's approval.",
            "%(num)d booking requests are waiting for the managers' approval.",
            len(made),
        ),
        "success",
    )
    return redirect(
        url_for(
            ".plan",
            jobcentre=jobcentre.id if len(units) > 1 else None,
            budget=request.form["budget"],
            starts_on=ask.starts_on.isoformat(),
            ends_on=ask.ends_on.isoformat(),
        )
    )
