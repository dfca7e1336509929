"""The administrator's pages: accounts, roles, the organisation and key persons."""

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
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from core.db import db
from core.forms import BaseForm
from core.numbers import PAGE
from core.people import accounts, services
from core.people.errors import PeopleError
from core.people.forms import (
    AREA_LABELS,
    ROLE_LABELS,
    UNIT_LABELS,
    KeyPersonForm,
    UnitForm,
    UserForm,
)
from core.people.models import KeyPerson, OrgUnit, Role, UnitKind, User
from core.people.password_views import needs_passwords, passwords_on
from core.permissions import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _teams() -> list[OrgUnit]:
    return list(
        db.session.scalars(
            sa.select(OrgUnit)
            .where(OrgUnit.kind == UnitKind.team)
            .options(joinedload(OrgUnit.parent))
            .order_by(OrgUnit.name)
        )
    )


@bp.route("/brugere")
@role_required(Role.admin)
def users():
    query = request.args.get("q", "").strip()
    stmt = sa.select(User).options(joinedload(User.team)).order_by(User.name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(User.name).like(like), User.email.like(like))
        )
    page = db.paginate(
        stmt,
        page=request.args.get("page", 1, type=PAGE.arg),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "core/admin/users.html", page=page, query=query, role_labels=ROLE_LABELS
    )


@bp.route("/brugere/ny", methods=["GET", "POST"])
@role_required(Role.admin)
def new_user():
    form = UserForm(teams=_teams())
    if form.validate_on_submit():
        try:
            user = services.create_user(_actor(), **_account(form))
        except PeopleError as exc:
            exc.add_to(form)
        else:
            if passwords_on():
                _invite(user)
                message = _(
                    "The account is created, and %(email)s has an e-mail with a link "
                    "to choose a password.",
                    email=user.email,
                )
            else:  # no password to choose: no link, no e-mail
                message = _(
                    "The account is created. The person signs in with their "
                    "organisation's account."
                )
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return _render_form(form, "core/admin/user_form.html", user=None)


@bp.route("/brugere/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.admin)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    # The page shows the account as it is; a POST shows what was sent.
    form = UserForm(
        teams=_teams(),
        data=None if request.method == "POST" else UserForm.data_of(user),
    )
    if form.validate_on_submit():
        try:
            services.update_user(_actor(), user, **_account(form))
        except PeopleError as exc:
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(_("The account is saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return _render_form(form, "core/admin/user_form.html", user=user)


@bp.route("/brugere/<int:user_id>/invitation", methods=["POST"])
@role_required(Role.admin)
@needs_passwords
def invite_user(user_id: int):
    """Mail the person a new link to choose a password (the old one stops working)."""
    user = db.get_or_404(User, user_id)
    if not BaseForm().validate_on_submit():
        abort(
            400, description=_("The form has expired. Reload the page and try again.")
        )
    if not user.active:
        flash(_("A deactivated account gets no e-mail. Activate it first."), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    _invite(user)
    db.session.commit()
    flash(
        _(
            "%(email)s has an e-mail with a link to choose a password.",
            email=user.email,
        ),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/enheder")
@role_required(Role.admin)
def units():
    regions = db.session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.kind == UnitKind.region)
        .options(
            selectinload(OrgUnit.children)
            .selectinload(OrgUnit.children)
            .options(joinedload(OrgUnit.manager), joinedload(OrgUnit.deputy))
        )
        .order_by(OrgUnit.name)
    ).all()
    return render_template(
        "core/admin/units.html", regions=regions, unit_labels=UNIT_LABELS
    )


@bp.route("/enheder/ny", methods=["GET", "POST"])
@bp.route("/enheder/<int:unit_id>", methods=["GET", "POST"])
@role_required(Role.admin)
def edit_unit(unit_id: int | None = None):
    unit = (
        db.first_or_404(
            sa.select(OrgUnit)
            .where(OrgUnit.id == unit_id)
            .options(joinedload(OrgUnit.manager), joinedload(OrgUnit.deputy))
        )
        if unit_id
        else None
    )
    parents = db.session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.kind != UnitKind.team)
        .order_by(OrgUnit.kind, OrgUnit.name)
    ).all()
    data = None
    if unit is not None and request.method != "POST":
        data = {
            "kind": unit.kind.value,
            "name": unit.name,
            "parent_id": unit.parent_id or 0,
            "manager_email": unit.manager.email if unit.manager else "",
            "deputy_email": unit.deputy.email if unit.deputy else "",
            "deputising": unit.deputising,
        }
    form = UnitForm(parents=parents, data=data)
    if form.validate_on_submit():
        parent = (
            db.session.get(OrgUnit, form.parent_id.data)
            if form.parent_id.data
            else None
        )
        try:
            manager = _person_or_none(form.manager_email)
            deputy = _person_or_none(form.deputy_email)
            if unit is None:
                unit = services.create_unit(
                    _actor(), kind=form.kind.member, name=form.name.data, parent=parent
                )
            services.update_unit(
                _actor(),
                unit,
                name=form.name.data,
                parent=parent,
                manager=manager,
                deputy=deputy,
                deputising=form.deputising.data,
            )
        except PeopleError as exc:
            db.session.rollback()
            exc.add_to(form)
        else:
            db.session.commit()
            flash(_("The unit is saved."), "success")
            return redirect(url_for("admin.units"))
    return _render_form(form, "core/admin/unit_form.html", unit=unit)


@bp.route("/noeglepersoner", methods=["GET", "POST"])
@role_required(Role.admin)
def key_persons():
    jobcentres = db.session.scalars(
        sa.select(OrgUnit)
        .where(OrgUnit.kind == UnitKind.jobcentre)
        .order_by(OrgUnit.name)
    ).all()
    form = KeyPersonForm(jobcentres=jobcentres)
    if form.validate_on_submit():
        person = services.find_user_by_email(form.email.data)
        if person is None:
            PeopleError("unknown_person", field="email").add_to(form)
        else:
            services.set_key_person(
                _actor(),
                person,
                form.area.member,
                db.session.get(OrgUnit, form.jobcentre_id.data),
            )
            db.session.commit()
            flash(_("The key person is saved."), "success")
            return redirect(url_for("admin.key_persons"))
    rows = db.session.scalars(
        sa.select(KeyPerson)
        .options(joinedload(KeyPerson.user), joinedload(KeyPerson.jobcentre))
        .order_by(KeyPerson.area, KeyPerson.id)
    ).all()
    status = 400 if form.errors else 200
    return render_template(
        "core/admin/key_persons.html", form=form, rows=rows, area_labels=AREA_LABELS
    ), status


def _account(form: UserForm) -> dict:
    """The account's details as the user form sent them, for create and update."""
    team_id = form.team_id.data
    return {
        "email": form.email.data,
        "name": form.name.data,
        "roles": [Role(value) for value in form.roles.data],
        "employer_kind": form.employer_kind.member,
        "team": db.session.get(OrgUnit, team_id) if team_id else None,
        "active": form.active.data,
    }


def _invite(user: User) -> None:
    lifetime = current_app.config["INVITATION_LIFETIME"]
    accounts.invite(_actor(), user, lifetime=lifetime)


def _actor() -> User:
    return current_user._get_current_object()


def _person_or_none(field) -> User | None:
    if not field.data:
        return None
    person = services.find_user_by_email(field.data)
    if person is None:
        raise PeopleError("unknown_person", field=field.name)
    return person


def _render_form(form, template: str, **context):
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status
