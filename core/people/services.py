"""Operations on people, the organisation and login; they flush, the caller commits."""

import functools
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import has_request_context
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from core.audit import record
from core.db import db, utcnow
from core.people.errors import (
    InvalidCredentialsError,
    LoginLockedError,
    PeopleError,
)
from core.people.models import (
    PARENT_KIND,
    EmployerKind,
    KeyPerson,
    LoginAttempt,
    LoginSession,
    OrgUnit,
    Role,
    SpecialistArea,
    UnitKind,
    User,
    UserRole,
)
from core.permissions import LINK_ROLES, Link, link_counts


@functools.cache
def _dummy_hash() -> str:
    """A hash to check when the account does not exist, so a wrong e-mail takes as
    long as a wrong password and the response time does not reveal accounts."""
    return generate_password_hash(secrets.token_hex(16))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    """Return the normalised e-mail or raise PeopleError for a malformed one."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise PeopleError("invalid_email", field="email") from exc
    return normalise_email(email)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(User.email == normalise_email(email))
    )


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    password: str | None = None,
    roles: Iterable[Role] = (Role.employee,),
    employer_kind: EmployerKind = EmployerKind.municipal,
    team: OrgUnit | None = None,
    active: bool = True,
) -> User:
    """Create an account; the e-mail must be new (ignoring case)."""
    email = check_email(email)
    if find_user_by_email(email) is not None:
        raise PeopleError("email_taken", field="email")
    if team is not None and team.kind is not UnitKind.team:
        raise PeopleError("not_a_team", field="team_id")
    user = User(
        email=email,
        name=name.strip(),
        employer_kind=employer_kind,
        team=team,
        active=active,
    )
    user.set_roles(roles)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", user, after=_user_state(user))
    return user


def update_user(
    actor: User,
    user: User,
    *,
    email: str,
    name: str,
    roles: Iterable[Role],
    employer_kind: EmployerKind,
    team: OrgUnit | None,
    active: bool,
) -> User:
    """Change an account's details and roles; deactivation signs it out everywhere."""
    email = check_email(email)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise PeopleError("email_taken", field="email")
    if team is not None and team.kind is not UnitKind.team:
        raise PeopleError("not_a_team", field="team_id")
    before = _user_state(user)
    user.email, user.name = email, name.strip()
    user.employer_kind, user.team, user.active = employer_kind, team, active
    user.set_roles(roles)
    if not active:
        end_all_login_sessions(user)
    db.session.flush()
    record(actor, "user.updated", user, before=before, after=_user_state(user))
    return user


def change_password(actor: User, user: User, new_password: str) -> None:
    """Set a new password and sign out every browser that used the old one."""
    user.set_password(new_password)
    end_all_login_sessions(user)
    db.session.flush()
    record(actor, "user.password_changed", user)


def set_language(user: User, code: str) -> None:
    """The language `user` reads the app, their notifications and mails in."""
    user.language = code
    db.session.flush()


def _user_state(user: User) -> dict:
    return {
        "email": user.email,
        "name": user.name,
        "roles": sorted(r.value for r in user.roles),
        "employer_kind": user.employer_kind.value,
        "team_id": user.team_id,
        "active": user.active,
    }


# --- login -------------------------------------------------------------------------


def _count_attempts(column) -> sa.Select:
    return sa.select(sa.func.count(LoginAttempt.id)).where(
        LoginAttempt.kind == sa.bindparam("kind"),
        column == sa.bindparam("value"),
        LoginAttempt.at >= sa.bindparam("since"),
    )


# Built once, run on the session's connection without the ORM (a count needs
# none): a flood of bad sign-ins asks them on every post (issue 19, the login
# flood: a py-spy profile of a locked refusal put 26% of it in building and
# running this count through the ORM).
_ATTEMPTS = {
    "email": _count_attempts(LoginAttempt.email),
    "address": _count_attempts(LoginAttempt.address),
}


def _recent_attempts(kind: str, column, value: str, since: datetime) -> int:
    return db.session.connection().scalar(
        _ATTEMPTS[column.key], {"kind": kind, "value": value, "since": since}
    )


def rate_limited(
    kind: str,
    email: str,
    address: str,
    *,
    max_per_account: int,
    max_per_address: int,
    window: timedelta,
) -> bool:
    """Whether `email` or `address` made `kind` attempts (failed logins, 'login';
    password-link requests, 'reset') up to their limit within `window`."""
    since = utcnow() - window
    return (
        _recent_attempts(kind, LoginAttempt.email, email, since) >= max_per_account
        or _recent_attempts(kind, LoginAttempt.address, address, since)
        >= max_per_address
    )


def record_attempt(kind: str, email: str, address: str) -> None:
    """Count one attempt of `kind` against the account and the address."""
    db.session.add(LoginAttempt(kind=kind, email=email[:254], address=address[:64]))
    db.session.flush()


def authenticate(
    email: str,
    password: str,
    *,
    address: str,
    max_per_account: int,
    max_per_address: int,
    window: timedelta,
) -> User:
    """Check a login. The lock is checked before any password hash is computed."""
    email = normalise_email(email)
    address = (address or "unknown")[:64]
    if rate_limited(
        "login",
        email,
        address,
        max_per_account=max_per_account,
        max_per_address=max_per_address,
        window=window,
    ):
        raise LoginLockedError()
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        ok = False
    else:
        ok = user.check_password(password) and user.active
    if not ok:
        record_attempt("login", email, address)
        raise InvalidCredentialsError(user.id if user is not None else None)
    db.session.execute(
        sa.delete(LoginAttempt).where(
            LoginAttempt.kind == "login", LoginAttempt.email == email
        )
    )
    db.session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.at < utcnow() - window)
    )
    return user


def start_login_session(user: User, *, lifetime: timedelta) -> LoginSession:
    """Open a server-side session for a browser; its token is what the cookie holds."""
    login_session = LoginSession(
        token=secrets.token_urlsafe(32),
        user=user,
        expires_at=utcnow() + lifetime,
    )
    db.session.add(login_session)
    db.session.flush()
    user.current_login_token = login_session.token
    return login_session


def end_login_session(token: str | None) -> None:
    if token:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.token == token))


def end_all_login_sessions(user: User) -> None:
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))


# --- organisation ------------------------------------------------------------------


def create_unit(
    actor: User | None, *, kind: UnitKind, name: str, parent: OrgUnit | None
) -> OrgUnit:
    """Add a region, a jobcentre under a region, or a team under a jobcentre."""
    _check_parent(kind, parent)
    unit = OrgUnit(kind=kind, name=name.strip(), parent=parent)
    db.session.add(unit)
    db.session.flush()
    record(actor, "org_unit.created", unit, after={"name": unit.name})
    return unit


def update_unit(
    actor: User,
    unit: OrgUnit,
    *,
    name: str,
    parent: OrgUnit | None,
    manager: User | None,
    deputy: User | None,
    deputising: bool,
) -> OrgUnit:
    """Rename or move a unit and set its manager and deputy."""
    _check_parent(unit.kind, parent)
    if manager is not None and deputy is not None and manager.id == deputy.id:
        raise PeopleError("deputy_is_manager", field="deputy_email")
    before = {
        "name": unit.name,
        "parent_id": unit.parent_id,
        "manager_id": unit.manager_id,
        "deputy_id": unit.deputy_id,
        "deputising": unit.deputising,
    }
    unit.name, unit.parent = name.strip(), parent
    unit.manager, unit.deputy = manager, deputy
    unit.deputising = deputising and deputy is not None
    # Only a new appointment (or a deputy period that starts now) gives the manager
    # role; saving the unit again must not give back a role an admin took away.
    appointed = []
    if manager is not None and manager.id != before["manager_id"]:
        appointed.append(manager)
    if unit.deputising and (
        deputy.id != before["deputy_id"] or not before["deputising"]
    ):
        appointed.append(deputy)
    for person in appointed:
        if Role.manager not in person.roles:
            person.set_roles(person.roles | {Role.manager})
    db.session.flush()
    after = {
        "name": unit.name,
        "parent_id": unit.parent_id,
        "manager_id": unit.manager_id,
        "deputy_id": unit.deputy_id,
        "deputising": unit.deputising,
    }
    record(actor, "org_unit.updated", unit, before=before, after=after)
    return unit


def _check_parent(kind: UnitKind, parent: OrgUnit | None) -> None:
    wanted = PARENT_KIND[kind]
    if (parent.kind if parent else None) is not wanted:
        raise PeopleError("wrong_parent", field="parent_id")


def jobcentre_of(user: User) -> OrgUnit | None:
    """The jobcentre a person's team belongs to: from the session's identity map
    when a page has it already, else one SELECT (never a lazy load)."""
    if user.team is None or user.team.parent_id is None:
        return None
    return db.session.get(OrgUnit, user.team.parent_id)


def managed_team_ids(user: User) -> set[int]:
    """Teams the person leads: as manager, or as deputy while deputising; each
    only while the link counts (the manager role held, the account active).

    Several predicates ask this on every page a manager sees (navigation, inbox,
    team pages), so within a request the answer is kept on the user object, which
    the login loader makes anew for each request. Outside a request (CLI, tests
    that change teams between calls) it is always read afresh.
    """
    if has_request_context():
        cached = user.__dict__.get("_managed_team_ids")
        if cached is None:
            cached = user.__dict__["_managed_team_ids"] = frozenset(
                _read_managed_team_ids(user)
            )
        return set(cached)
    return _read_managed_team_ids(user)


def _read_managed_team_ids(user: User) -> set[int]:
    leads = []
    if link_counts(user, Link.team_manager):
        leads.append(OrgUnit.manager_id == user.id)
    if link_counts(user, Link.team_deputy):
        leads.append(
            sa.and_(OrgUnit.deputy_id == user.id, OrgUnit.deputising.is_(True))
        )
    if not leads:
        return set()  # dormant links: no query
    rows = db.session.scalars(
        sa.select(OrgUnit.id).where(OrgUnit.kind == UnitKind.team, sa.or_(*leads))
    )
    return set(rows)


def link_holders(link: Link):
    """The SQL form of `link_counts`, for queries that list who holds a link:
    active accounts with the role that goes with it."""
    return sa.and_(
        User.active.is_(True),
        User.id.in_(
            sa.select(UserRole.user_id).where(UserRole.role == LINK_ROLES[link])
        ),
    )


def key_persons(
    area: SpecialistArea | None = None, jobcentre: OrgUnit | None = None
) -> list[KeyPerson]:
    """The key persons whose appointment counts, by area; optionally one area or
    one jobcentre's."""
    stmt = (
        sa.select(KeyPerson)
        .join(User, User.id == KeyPerson.user_id)
        .where(link_holders(Link.key_person))
        .options(joinedload(KeyPerson.user))
        .order_by(KeyPerson.area, User.name)
    )
    if area is not None:
        stmt = stmt.where(KeyPerson.area == area)
    if jobcentre is not None:
        stmt = stmt.where(KeyPerson.jobcentre_id == jobcentre.id)
    return list(db.session.scalars(stmt))


def key_person_areas(user: User) -> list[SpecialistArea]:
    """The specialist areas the person is a key person for (appointments that count)."""
    return list(
        db.session.scalars(
            sa.select(KeyPerson.area)
            .join(User, User.id == KeyPerson.user_id)
            .where(KeyPerson.user_id == user.id, link_holders(Link.key_person))
            .distinct()
            .order_by(KeyPerson.area)
        )
    )


def set_key_person(
    actor: User, user: User, area: SpecialistArea, jobcentre: OrgUnit
) -> KeyPerson:
    """Appoint a person as key person for a specialist area in a jobcentre."""
    if jobcentre.kind is not UnitKind.jobcentre:
        raise PeopleError("not_a_jobcentre")
    key_person = db.session.scalar(
        sa.select(KeyPerson).where(KeyPerson.user_id == user.id, KeyPerson.area == area)
    )
    if key_person is None:
        key_person = KeyPerson(user=user, area=area, jobcentre=jobcentre)
        db.session.add(key_person)
    key_person.jobcentre = jobcentre
    db.session.flush()
    record(actor, "key_person.set", key_person, after={"area": area.value})
    return key_person
