"""Sign a person on from the claims the organisation's provider vouched for: find
their account by subject id, else link it by e-mail once, else create it; then
give them the roles and team their groups map to. They flush, the caller commits."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from core.audit import record
from core.db import db, utcnow
from core.people.errors import PeopleError
from core.people.models import OrgUnit, Role, UnitKind, User
from core.people.services import create_user, find_user_by_email
from core.sso.errors import SignOnError
from core.sso.models import SignOnIdentity

log = logging.getLogger("kompetence.sso")


@dataclass(frozen=True)
class SignOnSettings:
    """The settings that decide who gets in and with what (core.config)."""

    issuer: str
    groups_claim: str = "groups"
    group_roles: Mapping[str, list[str]] = field(default_factory=dict)
    group_units: Mapping[str, str] = field(default_factory=dict)
    create_users: bool = False

    @classmethod
    def from_config(cls, config: Mapping) -> "SignOnSettings":
        return cls(
            issuer=config["OIDC_ISSUER"],
            groups_claim=config["OIDC_GROUPS_CLAIM"],
            group_roles=config["OIDC_GROUP_ROLES"],
            group_units=config["OIDC_GROUP_UNITS"],
            create_users=config["OIDC_CREATE_USERS"],
        )


def sign_on(claims: Mapping, settings: SignOnSettings) -> User:
    """The active account the verified `claims` belong to, linked or created as
    the settings allow, with the roles and team the person's groups give."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignOnError("no_subject")
    identity = db.session.scalar(
        sa.select(SignOnIdentity).where(
            SignOnIdentity.issuer == settings.issuer,
            SignOnIdentity.subject == subject,
        )
    )
    groups = groups_of(claims, settings.groups_claim)
    if identity is None:
        user = _account_by_email(claims, settings)
        if user is None:
            user = _create_account(claims, settings, groups)
        if not user.active:
            raise SignOnError("inactive")
        identity = SignOnIdentity(user=user, issuer=settings.issuer, subject=subject)
        db.session.add(identity)
        db.session.flush()
        record(None, "user.sign_on_linked", user, after={"issuer": settings.issuer})
    user = identity.user
    if not user.active:
        raise SignOnError("inactive")
    _apply_groups(user, groups, settings)
    identity.last_signed_in_at = utcnow()
    db.session.flush()
    return user


def groups_of(claims: Mapping, claim: str) -> list[str]:
    """The groups in `claim`: a list, or one group as text (some providers)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(group) for group in value]
    return []


def _account_by_email(claims: Mapping, settings: SignOnSettings) -> User | None:
    """The account with the person's e-mail, if no other subject holds it."""
    email = claims.get("email")
    # An address the provider says it has not verified proves nothing.
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return None
    user = find_user_by_email(email)
    if user is None:
        return None
    linked = db.session.scalar(
        sa.select(SignOnIdentity.id).where(
            SignOnIdentity.issuer == settings.issuer,
            SignOnIdentity.user_id == user.id,
        )
    )
    if linked is not None:
        raise SignOnError("email_linked_elsewhere")
    return user


def _create_account(
    claims: Mapping, settings: SignOnSettings, groups: list[str]
) -> User:
    if not settings.create_users:
        raise SignOnError("no_account")
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        raise SignOnError("no_email")
    name = str(claims.get("name") or email).strip()[:200]
    try:
        return create_user(
            None,
            email=email,
            name=name,
            roles=_roles_for(groups, settings),
            team=_team_for(groups, settings),
        )
    except PeopleError as exc:
        raise SignOnError("no_email") from exc


def _roles_for(groups: list[str], settings: SignOnSettings) -> set[Role]:
    roles = {Role.employee}
    for group in groups:
        roles.update(Role(name) for name in settings.group_roles.get(group, ()))
    return roles


def _team_for(groups: list[str], settings: SignOnSettings) -> OrgUnit | None:
    for group in groups:
        path = settings.group_units.get(group)
        if path:
            unit = unit_at(path)
            if unit is not None and unit.kind is UnitKind.team:
                return unit
            log.warning("OIDC_GROUP_UNITS: no team at %r (group %r)", path, group)
    return None


def unit_at(path: str) -> OrgUnit | None:
    """The unit at 'Region/Jobcentre/Team', names from the top of the tree down."""
    unit = None
    for name in (part.strip() for part in path.strip("/").split("/")):
        under = (
            OrgUnit.parent_id.is_(None)
            if unit is None
            else OrgUnit.parent_id == unit.id
        )
        unit = db.session.scalar(sa.select(OrgUnit).where(under, OrgUnit.name == name))
        if unit is None:
            return None
    return unit


def _apply_groups(user: User, groups: list[str], settings: SignOnSettings) -> None:
    """With a mapping set, the provider's groups decide the roles and the team at
    every sign-in: the directory is where they change."""
    before = {
        "roles": sorted(r.value for r in user.roles),
        "team_id": user.team_id,
    }
    if settings.group_roles:
        user.set_roles(_roles_for(groups, settings))
    if settings.group_units:
        team = _team_for(groups, settings)
        if team is not None:
            user.team = team
    db.session.flush()
    after = {"roles": sorted(r.value for r in user.roles), "team_id": user.team_id}
    if after != before:
        record(None, "user.sign_on_groups_applied", user, before=before, after=after)
