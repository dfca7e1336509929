"""An API token: who it acts for, what it may do, and only the hash of its secret."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from core.db import db, intpk, utcnow
from core.people.models import User

# The organisation's directory's provisioning scope (SCIM): its tokens are made on
# the administrator's directory page, not among a person's own.
DIRECTORY_SCOPE = "scim"


class ScopeSet(sa.TypeDecorator):
    """Scopes stored as space-separated text (as OAuth writes them), read back as
    a frozenset of scope names."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = value.split()
        return " ".join(sorted(set(value)))

    def process_result_value(self, value, dialect) -> frozenset[str]:
        return frozenset((value or "").split())


class ApiToken(db.Model):
    """A bearer token. `user_id` is its owner, whom a request with the token acts
    as (for the directory's provisioning token, the administrator who made it)."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    scopes: Mapped[frozenset[str]] = mapped_column(ScopeSet(), default=frozenset)
    # sha256 hex of the secret: a lookup by hash compares no secret byte by byte.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    # The secret's first characters, so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship(lazy="joined")
    owner_id = synonym("user_id")

    @classmethod
    def holds(cls, scope: str) -> sa.ColumnElement[bool]:
        """Tokens whose scopes include `scope` (a whole name, not a part of one)."""
        text = sa.type_coerce(cls.scopes, sa.Text)
        return (" " + text + " ").contains(f" {scope} ", autoescape=True)

    def state(self, now: datetime) -> str:
        """ "active", "revoked" or "expired", as the token pages show it."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active(now) else "expired"

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > now
        )

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… of user {self.user_id}>"
