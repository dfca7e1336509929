"""Passwords by e-mail: an administrator's invitation and anyone's password reset,
each a single-use, time-limited link. Only the token's hash is stored, and nobody
ever types another person's password. They flush, the caller commits."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from core.audit import record
from core.db import db, utcnow
from core.notifications.services import in_language_of, link_for, mail_user
from core.people.models import PasswordToken, PasswordTokenPurpose, User
from core.people.services import (
    change_password,
    find_user_by_email,
    normalise_email,
    rate_limited,
    record_attempt,
)
from core.urls import public_base_url


class ResetLimitedError(Exception):
    """Too many password links asked for, for this address or from this machine."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue(user: User, purpose: PasswordTokenPurpose, lifetime: timedelta) -> str:
    """A new token for `user`; any earlier unused one stops working."""
    now = utcnow()
    db.session.execute(
        sa.update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordToken(
            token_hash=_hash(token),
            user=user,
            purpose=purpose,
            expires_at=now + lifetime,
        )
    )
    db.session.flush()
    return token


def _link(token: str) -> str:
    return public_base_url() + link_for("passwords.set_password", token=token)


def _until(lifetime: timedelta) -> str:
    hours = max(round(lifetime.total_seconds() / 3600), 1)
    if hours >= 48:
        days = hours // 24
        return ngettext(
            "The link works for %(num)d day.", "The link works for %(num)d days.", days
        )
    return ngettext(
        "The link works for %(num)d hour.", "The link works for %(num)d hours.", hours
    )


def invite(actor: User | None, user: User, *, lifetime: timedelta) -> None:
    """Mail `user` a link to choose their password, in their language."""
    token = _issue(user, PasswordTokenPurpose.invitation, lifetime)
    with in_language_of(user):
        subject = _("Your account on Kompetence og kurser")
        body = "\n\n".join(
            (
                _(
                    "An account has been created for you on Kompetence og kurser, "
                    "with the e-mail %(email)s. Choose your password here:",
                    email=user.email,
                ),
                _link(token),
                _until(lifetime),
            )
        )
        mail_user(user, subject, body)
    record(actor, "user.invited", user)


def request_reset(
    email: str,
    *,
    address: str,
    lifetime: timedelta,
    max_per_account: int,
    max_per_address: int,
    window: timedelta,
) -> None:
    """Mail a password link to the account with `email`, if there is an active one;
    the caller answers the same either way. Raises ResetLimitedError past the
    limits, which count every request, for accounts that exist or not."""
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    if rate_limited(
        "reset",
        email,
        address,
        max_per_account=max_per_account,
        max_per_address=max_per_address,
        window=window,
    ):
        raise ResetLimitedError()
    record_attempt("reset", email, address)
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = _issue(user, PasswordTokenPurpose.reset, lifetime)
    with in_language_of(user):
        subject = _("Choose a new password")
        body = "\n\n".join(
            (
                _(
                    "Someone asked for a new password for %(email)s on Kompetence og "
                    "kurser. If it was you, choose your new password here:",
                    email=user.email,
                ),
                _link(token),
                _until(lifetime),
                _("If it was not you, do nothing: your password stays as it is."),
            )
        )
        mail_user(user, subject, body)
    record(None, "user.password_link_sent", user)


def valid_token(token: str) -> PasswordToken | None:
    """The unused, unexpired token row for an active account, else None."""
    row = db.session.scalar(
        sa.select(PasswordToken).where(PasswordToken.token_hash == _hash(token or ""))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row if row.user.active else None


def set_password_with(token: str, new_password: str) -> User | None:
    """Spend `token` and set the password of its account (None: the link no longer
    works). One conditional UPDATE spends it, so two tabs cannot both use it."""
    row = valid_token(token)
    if row is None:
        return None
    spent = db.session.execute(
        sa.update(PasswordToken)
        .where(PasswordToken.id == row.id, PasswordToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    change_password(row.user, row.user, new_password)
    return row.user
