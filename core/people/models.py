"""Users, their roles, the organisation tree, key persons and login bookkeeping."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.db import db, intpk, utcnow


class Role(enum.Enum):
    employee = "employee"
    manager = "manager"
    coordinator = "coordinator"
    provider_staff = "provider_staff"
    admin = "admin"


class EmployerKind(enum.Enum):
    state = "state"
    municipal = "municipal"


class UnitKind(enum.Enum):
    region = "region"
    jobcentre = "jobcentre"
    team = "team"


class SpecialistArea(enum.Enum):
    gender_equality = "gender_equality"
    ethnic_minorities = "ethnic_minorities"
    disability = "disability"
    eures = "eures"


# The parent kind each kind of unit hangs under; a region has no parent.
PARENT_KIND = {
    UnitKind.region: None,
    UnitKind.jobcentre: UnitKind.region,
    UnitKind.team: UnitKind.jobcentre,
}


class OrgUnit(db.Model):
    __tablename__ = "org_units"
    __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)

    id: Mapped[intpk]
    kind: Mapped[UnitKind] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_units.id"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", use_alter=True), index=True
    )
    deputy_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", use_alter=True), index=True
    )
    deputising: Mapped[bool] = mapped_column(default=False)

    parent: Mapped["OrgUnit | None"] = relationship(
        remote_side="OrgUnit.id", back_populates="children"
    )
    children: Mapped[list["OrgUnit"]] = relationship(
        back_populates="parent", order_by="OrgUnit.name"
    )
    manager: Mapped["User | None"] = relationship(foreign_keys=[manager_id])
    deputy: Mapped["User | None"] = relationship(foreign_keys=[deputy_id])

    def __repr__(self) -> str:
        return f"<OrgUnit {self.kind.value} {self.name!r}>"


# The roles the login statement read with the user, by name (core.people.login).
LOGIN_ROLES = "_login_roles"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[intpk]
    # Stored lower-cased, so the unique constraint is case-insensitive on every engine.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(256), default="")
    active: Mapped[bool] = mapped_column(default=True)
    employer_kind: Mapped[EmployerKind] = mapped_column(default=EmployerKind.municipal)
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_units.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    # The language the person reads the app in, and gets notifications and mails in.
    language: Mapped[str] = mapped_column(
        sa.String(8), default="da", server_default="da"
    )

    team: Mapped[OrgUnit | None] = relationship(foreign_keys=[team_id])
    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # The login session this request came in on; set by the user loader.
    current_login_token = None

    # Flask-Login's protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.current_login_token

    @property
    def roles(self) -> frozenset[Role]:
        """The roles held. Every menu predicate asks (about 40 times a page), so
        the set is kept with the list of rows it was made from: a new list (a
        reload after commit or expiry, set_roles) makes it anew, and adding or
        removing a row drops it (_forget_roles). A row's role is never changed
        in place: set_roles replaces rows.

        The login statement reads the roles as names, not rows (LOGIN_ROLES,
        core.people.login): until the rows are read (a page that changes them
        reads them first), the roles are those names; expiring the rows drops
        them (_forget_login_roles), so the next read asks the database."""
        rows = self.__dict__.get("role_rows")
        if rows is None:
            read = self.__dict__.get(LOGIN_ROLES)
            if read is not None:
                return read
            rows = self.role_rows
        kept = self.__dict__.get("_roles_kept")
        if kept is None or kept[0] is not rows:
            kept = self.__dict__["_roles_kept"] = (
                rows,
                frozenset(row.role for row in rows),
            )
        return kept[1]

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in self.role_rows}
        for role in sorted(wanted - have, key=lambda r: r.value):
            self.role_rows.append(UserRole(role=role))

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_admin(self) -> bool:
        return Role.admin in self.roles

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(
            self.password_hash, password
        )

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


@sa.event.listens_for(User.role_rows, "append")
@sa.event.listens_for(User.role_rows, "remove")
def _forget_roles(user: User, *_args) -> None:
    user.__dict__.pop("_roles_kept", None)


@sa.event.listens_for(User, "expire")
def _forget_login_roles(user: User | None, attributes) -> None:
    # `user` is None when the object is gone already (expired by the session).
    if user is not None and (attributes is None or "role_rows" in attributes):
        user.__dict__.pop(LOGIN_ROLES, None)


class KeyPerson(db.Model):
    __tablename__ = "key_persons"
    __table_args__ = (sa.UniqueConstraint("user_id", "area"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    area: Mapped[SpecialistArea] = mapped_column(index=True)
    jobcentre_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)

    user: Mapped[User] = relationship()
    jobcentre: Mapped[OrgUnit] = relationship()


class LoginSession(db.Model):
    """One signed-in browser. Deleting the row signs that browser out for good."""

    __tablename__ = "login_sessions"

    id: Mapped[intpk]
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """A failed login, or a request for a password link (`kind` 'reset'), counted
    per account and per address by every worker."""

    __tablename__ = "login_attempts"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(
        sa.String(16), default="login", server_default="login"
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PasswordTokenPurpose(enum.Enum):
    invitation = "invitation"
    reset = "reset"


class PasswordToken(db.Model):
    """A single-use link to set a password: only the token's SHA-256 is stored, so
    the table's contents open no account."""

    __tablename__ = "password_tokens"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    purpose: Mapped[PasswordTokenPurpose]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
