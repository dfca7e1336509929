"""The administrator's audit trail: every recorded change, filtered by person,
object, action and period, on a page and as CSV or Excel.

The events are written by the services (core.audit.record) in the same
transaction as the change they describe; this page only reads them.
"""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from core.audit import AuditEvent
from core.clock import COPENHAGEN
from core.db import db
from core.forms import BaseForm, CountField
from core.numbers import ID, PAGE
from core.people.models import Role, User
from core.permissions import role_required
from core.tables import download

bp = Blueprint("audit", __name__, url_prefix="/admin/revisionsspor")

# Dates as the date picker sends them, or the Danish way: 15.1.2027.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
# An export holds at most this many events; narrow the filter for more.
EXPORT_LIMIT = 100_000


class AuditFilterForm(BaseForm):
    """Read from the query string: filtering changes nothing."""

    class Meta:
        csrf = False

    person = StringField(
        _l("Person"),
        [Optional(), Length(max=200)],
        description=_l(
            "Name or e-mail of who made the change or whose account it concerns."
        ),
    )
    object_type = SelectField(_l("Object"), [Optional()], choices=[])
    object_id = CountField(
        _l("Object number"), [Optional()], bounds=ID, description=_l("E.g. 42.")
    )
    action = SelectField(_l("Action"), [Optional()], choices=[])
    starts_on = DateField(
        _l("From"),
        [Optional()],
        format=DATE_FORMATS,
        description=_l("E.g. 1.2.2027."),
    )
    ends_on = DateField(_l("To"), [Optional()], format=DATE_FORMATS)

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(
                _("The period must end on or after the day it starts.")
            )


def _with_all(values) -> list[tuple[str, str]]:
    return [("", _("All"))] + [(value, value) for value in values]


def _form() -> AuditFilterForm:
    """The filter, its object and action lists read in one statement (bounded
    lists: the code's object types and actions, not the events)."""
    form = AuditFilterForm(request.args)
    kinds = (
        sa.select(sa.literal("object"), AuditEvent.object_type)
        .distinct()
        .union(sa.select(sa.literal("action"), AuditEvent.action).distinct())
    )
    found: dict[str, list[str]] = {"object": [], "action": []}
    for kind, value in db.session.execute(kinds):
        found[kind].append(value)
    form.object_type.choices = _with_all(sorted(found["object"]))
    form.action.choices = _with_all(sorted(found["action"]))
    return form


def _start_of(day: date) -> datetime:
    """The first instant of a Copenhagen day."""
    return datetime.combine(day, time(), COPENHAGEN)


def _query(form: AuditFilterForm):
    stmt = sa.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if form.person.data and form.person.data.strip():
        like = f"%{form.person.data.strip().lower()}%"
        people = sa.select(User.id).where(
            sa.or_(
                sa.func.lower(User.name).like(like),
                sa.func.lower(User.email).like(like),
            )
        )
        stmt = stmt.where(
            sa.or_(
                AuditEvent.actor_id.in_(people),
                sa.and_(
                    AuditEvent.object_type == User.__tablename__,
                    AuditEvent.object_id.in_(people),
                ),
            )
        )
    if form.object_type.data:
        stmt = stmt.where(AuditEvent.object_type == form.object_type.data)
    if form.object_id.data is not None:
        stmt = stmt.where(AuditEvent.object_id == form.object_id.data)
    if form.action.data:
        stmt = stmt.where(AuditEvent.action == form.action.data)
    if form.starts_on.data:
        stmt = stmt.where(AuditEvent.at >= _start_of(form.starts_on.data))
    if form.ends_on.data:
        stmt = stmt.where(
            AuditEvent.at < _start_of(form.ends_on.data + timedelta(days=1))
        )
    return stmt


@bp.route("")
@role_required(Role.admin)
def events():
    form = _form()
    if request.args and not form.validate():
        return render_template("core/audit/events.html", form=form, page=None), 400
    page = db.paginate(
        _query(form),
        page=request.args.get("page", 1, type=PAGE.arg),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "core/audit/events.html", form=form, page=page, actors=_actors(page.items)
    )


def _actors(events) -> dict[int, sa.Row]:
    """Who made each change (the name the page shows), in one query for the page."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    people = sa.select(User.id, User.name).where(User.id.in_(ids))
    return {person.id: person for person in db.session.execute(people)}


EXPORT_COLUMNS = [
    _l("Time (UTC)"),
    _l("Person"),
    _l("E-mail"),
    _l("Action"),
    _l("Object"),
    _l("Object number"),
    _l("Before"),
    _l("After"),
    _l("Reason"),
]


@bp.route("/eksport.<fmt>")
@role_required(Role.admin)
def export(fmt: str):
    form = _form()
    if not form.validate():
        abort(400)
    actor = aliased(User)
    stmt = (
        _query(form)
        .add_columns(actor)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .limit(EXPORT_LIMIT)
    )
    rows = (
        [
            event.at.isoformat(timespec="seconds"),
            actor.name if actor else "",
            actor.email if actor else "",
            event.action,
            event.object_type,
            event.object_id,
            _changes(event.before),
            _changes(event.after),
            event.reason,
        ]
        for event, actor in db.session.execute(stmt)
    )
    response = download(
        fmt,
        [str(column) for column in EXPORT_COLUMNS],
        rows,
        name="revisionsspor",
        title=_("Audit trail"),
    )
    if response is None:
        abort(404)
    return response


def _changes(values: dict | None) -> str:
    """'key: value' pairs on one line, in the order the service wrote them."""
    if not values:
        return ""
    return "; ".join(f"{key}: {value}" for key, value in values.items())


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(_changes, "audit_changes")
