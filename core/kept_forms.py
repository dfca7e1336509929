"""Answers kept for the person whose page expired while they were signed out
(issue 15), until they sign in again; core.kept_form_views decides when."""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from core.db import db, intpk, utcnow
from core.people.models import User
from core.registry import PersonalData

LIFETIME = timedelta(hours=1)

# Names of password fields (core.forms.BaseForm adds them): never kept anywhere.
NEVER_KEPT: set[str] = set()


class KeptForm(db.Model):
    """A form posted after its sign-in ended, waiting for the same person."""

    __tablename__ = "kept_forms"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(2000))
    fields: Mapped[list] = mapped_column(sa.JSON)  # [[name, value], ...]
    files: Mapped[list] = mapped_column(sa.JSON)  # names of file fields dropped
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


RULE = PersonalData(
    "kept_forms",
    _l("Answers from a page that expired, kept for an hour until you sign in."),
    subject="user_id",
    free_text=("fields",),
    plain=("path", "files"),
    left_out={"key": "a secret: the address that brings the answers back"},
    on_erase="delete",
)


def keep(user: User, path: str, fields: list, files: list) -> KeptForm:
    """Keep `fields` posted to `path` for `user` (replacing what was kept there
    before); expired answers of anyone go at the same time."""
    now = utcnow()
    db.session.execute(
        sa.delete(KeptForm).where(
            sa.or_(
                KeptForm.expires_at <= now,
                sa.and_(KeptForm.user_id == user.id, KeptForm.path == path),
            )
        )
    )
    kept = KeptForm(
        key=secrets.token_urlsafe(32),
        user_id=user.id,
        path=path,
        fields=[[name, value] for name, value in fields if name not in NEVER_KEPT],
        files=files,
        expires_at=now + LIFETIME,
    )
    db.session.add(kept)
    db.session.flush()
    return kept


def find(key: str, user: User, path: str) -> KeptForm | None:
    """The answers kept under `key` for `user` at `path`, while they last."""
    return db.session.scalar(
        sa.select(KeptForm).where(
            KeptForm.key == key,
            KeptForm.user_id == user.id,
            KeptForm.path == path,
            KeptForm.expires_at > utcnow(),
        )
    )
