"""Passwords by e-mail: asking for a link, and choosing a password through one
(an invitation or a reset), on a blueprint of their own made per app.

With PASSWORD_LOGIN off (sign-in through the organisation's account only) no
page lets anyone choose, reset or change a password: each answers 403 with a
Danish page that says why. 403 rather than 404: the page exists and the
address may come from an old e-mail; the person should learn that passwords
are switched off here, not that the link is wrong."""

from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import logout_user

from core.db import db
from core.people import accounts
from core.people.forms import ForgotPasswordForm, NewPasswordForm


def passwords_on() -> bool:
    return bool(current_app.config["PASSWORD_LOGIN"])


def refused_while_off():
    """The answer of every password page while passwords are switched off."""
    return render_template("core/passwords_off.html"), 403


def needs_passwords(view):
    """A password page: refused while PASSWORD_LOGIN is off (nothing written,
    nothing mailed)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not passwords_on():
            return refused_while_off()
        return view(*args, **kwargs)

    return wrapped


@needs_passwords
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("core/forgot_password.html", form=form), status
    config = current_app.config
    try:
        accounts.request_reset(
            form.email.data,
            address=request.remote_addr or "",
            lifetime=config["PASSWORD_RESET_LIFETIME"],
            max_per_account=config["PASSWORD_RESET_MAX_PER_ACCOUNT"],
            max_per_address=config["PASSWORD_RESET_MAX_PER_ADDRESS"],
            window=config["LOGIN_FAILURE_WINDOW"],
        )
    except accounts.ResetLimitedError:
        form.form_errors.append(
            _("Too many requests for a password link. Wait 15 minutes and try again.")
        )
        return render_template("core/forgot_password.html", form=form), 429
    db.session.commit()
    # The same words whether the address has an account or not.
    flash(
        _(
            "If %(email)s belongs to an account, we have sent it a link to choose "
            "a new password. Look in your inbox in a few minutes.",
            email=form.email.data,
        ),
        "info",
    )
    return redirect(url_for("core.login"))


@needs_passwords
def set_password(token: str):
    if accounts.valid_token(token) is None:
        return render_template("core/link_expired.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = accounts.set_password_with(token, form.new.data)
        if user is None:  # spent in another tab meanwhile
            db.session.rollback()
            return render_template("core/link_expired.html"), 410
        db.session.commit()
        logout_user()  # whoever was signed in here, the new password's owner signs in
        flash(_("Your password is set. Sign in with it."), "success")
        return redirect(url_for("core.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("core/set_password.html", form=form), status


def blueprint() -> Blueprint:
    """The password-link pages."""
    bp = Blueprint("passwords", __name__)
    bp.add_url_rule(
        "/adgangskode/glemt", view_func=forgot_password, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        "/adgangskode/ny/<token>", view_func=set_password, methods=["GET", "POST"]
    )
    return bp
