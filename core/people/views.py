"""Login, logout, password, language, the dashboard and the health check."""

from functools import cache

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from core import security_log
from core.clock import now
from core.db import db, plain_rows
from core.people import services
from core.people.errors import InvalidCredentialsError, LoginLockedError
from core.people.forms import AREA_LABELS, ROLE_LABELS, LoginForm, PasswordForm
from core.people.models import KeyPerson, OrgUnit, User
from core.people.password_views import needs_passwords
from core.permissions import Link
from core.registry import registry
from core.sso.views import end_session_url
from core.urls import safe_next

bp = Blueprint("core", __name__)


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    status = 200
    if not current_app.config["PASSWORD_LOGIN"]:
        if request.method == "POST":
            status = 403
            form.form_errors.append(
                _(
                    "Sign-in with e-mail and password is switched off here. "
                    "Sign in with your organisation's account."
                )
            )
    elif form.validate_on_submit():
        config = current_app.config
        try:
            user = services.authenticate(
                form.email.data,
                form.password.data,
                address=request.remote_addr or "",
                max_per_account=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                max_per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                window=config["LOGIN_FAILURE_WINDOW"],
            )
        except LoginLockedError:
            security_log.sign_in_refused("locked", None, request.remote_addr or "")
            status = 429
            form.form_errors.append(
                _("Too many failed attempts. Wait 15 minutes and try again.")
            )
        except InvalidCredentialsError as refused:
            db.session.commit()  # the failure must count, even though login failed
            security_log.sign_in_refused(
                "wrong e-mail or password", refused.user_id, request.remote_addr or ""
            )
            status = 401
            form.form_errors.append(_("The e-mail or the password is wrong."))
        else:
            remember = bool(form.remember.data)
            lifetime = config[
                "REMEMBER_COOKIE_DURATION" if remember else "PERMANENT_SESSION_LIFETIME"
            ]
            services.start_login_session(user, lifetime=lifetime)
            db.session.commit()
            session.clear()
            login_user(user, remember=remember, duration=lifetime)
            return redirect(
                safe_next(request.args.get("next")) or url_for("core.dashboard")
            )
    elif request.method == "POST":
        status = 400
    return render_template("core/login.html", form=form), status


@bp.route("/log-ud", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_login_session(current_user.get_id())
        db.session.commit()
    # Signed in through the organisation's provider: its session ends there too.
    provider_sign_out = end_session_url()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(provider_sign_out or url_for("core.login"))


@bp.route("/adgangskode", methods=["GET", "POST"])
@login_required
@needs_passwords
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            user = current_user._get_current_object()
            services.change_password(user, user, form.new.data)
            services.start_login_session(
                user, lifetime=current_app.config["PERMANENT_SESSION_LIFETIME"]
            )
            db.session.commit()
            login_user(user)
            flash(
                _("Your password is changed. Other devices are signed out."), "success"
            )
            return redirect(url_for("core.dashboard"))
    return render_template("core/password.html", form=form)


@bp.route("/sprog/<code>", methods=["POST"])
def language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated and current_user.language != code:
            # Kept on the account too: their notices and mails come in it.
            services.set_language(current_user._get_current_object(), code)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.dashboard"))


@cache
def _team_and_key_areas_statement() -> sa.Select:
    """The dashboard's team line for the person `user`, built once: built anew
    each request, the statement and its cache key cost more than the answer."""
    team, jobcentre = aliased(OrgUnit), aliased(OrgUnit)
    return (
        sa.select(team.name, jobcentre.name, KeyPerson.area)
        .select_from(User)
        .outerjoin(team, team.id == User.team_id)
        .outerjoin(jobcentre, jobcentre.id == team.parent_id)
        .outerjoin(
            KeyPerson,
            sa.and_(
                KeyPerson.user_id == User.id,
                services.link_holders(Link.key_person),
            ),
        )
        .where(User.id == sa.bindparam("user"))
        .order_by(KeyPerson.area)
    )


def _team_and_key_areas(user) -> tuple[tuple[str, str | None] | None, list]:
    """The names of the person's team and its jobcentre (None without a team),
    and the specialist areas they are a key person for
    (services.key_person_areas' rule): one statement, plain values."""
    rows = plain_rows(_team_and_key_areas_statement(), {"user": user.id}).all()
    team = rows[0][:2] if rows and rows[0][0] is not None else None
    areas = {area: None for _team, _jobcentre, area in rows if area is not None}
    return team, list(areas)


@bp.route("/")
@login_required
def dashboard():
    panels = []
    for panel in registry().panels:
        context = panel.build(current_user)
        if context is not None:
            panels.append((panel.template, context))
    team, key_areas = _team_and_key_areas(current_user)
    return render_template(
        "core/dashboard.html",
        panels=panels,
        role_labels=ROLE_LABELS,
        team=team,
        key_areas=[AREA_LABELS[a] for a in key_areas],
    )


def _database_ok() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


@bp.route("/healthz")
def healthz():
    """For machines (load balancers, monitoring): JSON."""
    if not _database_ok():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@bp.route("/driftsstatus")
def status():
    """For people: the same check as a page."""
    ok = _database_ok()
    return render_template("core/status.html", ok=ok, now=now()), (200 if ok else 503)
