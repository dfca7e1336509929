"""People and directory groups as SCIM resources: reading them into SCIM's JSON
and writing what the directory sends (POST and PUT whole, PATCH through
core.scim.patch). They flush; the view commits."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from core.audit import record
from core.db import db, utcnow
from core.numbers import INT4_MAX
from core.people import services as people
from core.people.errors import PeopleError
from core.people.models import EmployerKind, OrgUnit, Role, UnitKind, User
from core.scim import filters
from core.scim.errors import ScimError
from core.scim.models import DirectoryGroup, DirectoryGroupMember, ScimUser
from core.scim.patch import Shape
from core.scim.schemas import CORE_GROUP, CORE_USER, ENTERPRISE_USER

USER_SHAPE = Shape(
    CORE_USER,
    [
        "userName",
        "displayName",
        "name",
        "emails",
        "active",
        "userType",
        "externalId",
        "groups",
    ],
    multi={"emails", "groups"},
    read_only={"groups"},
    extension=ENTERPRISE_USER,
    extension_attributes=["department"],
)
GROUP_SHAPE = Shape(
    CORE_GROUP,
    ["displayName", "members", "externalId"],
    multi={"members"},
    read_only=set(),
)


def as_id(value) -> int:
    """An id as the directory sent it; ValueError when it cannot name a row."""
    number = int(str(value).strip())
    if not 0 < number <= INT4_MAX:
        raise ValueError(value)
    return number


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def not_found() -> ScimError:
    return ScimError(404, _("No resource has this id."))


def _text(value, name: str, *, limit: int, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise invalid_value(_("'%(name)s' is required.", name=name))
        return None
    if not isinstance(value, str):
        raise invalid_value(_("'%(name)s' must be text.", name=name))
    value = value.strip()
    if len(value) > limit:
        raise invalid_value(
            _("'%(name)s' is longer than %(limit)d characters.", name=name, limit=limit)
        )
    return value


def _boolean(value, name: str) -> bool:
    # Some directories send "True" and "False" as text.
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise invalid_value(_("'%(name)s' must be true or false.", name=name))
    return value


def _fields(payload) -> dict:
    """The payload's attributes under their canonical names (SCIM names are not
    case-sensitive); the service's own (id, meta, schemas) are left out."""
    if not isinstance(payload, dict):
        raise ScimError(400, _("The request could not be read."), "invalidSyntax")
    fields = {}
    for name, value in payload.items():
        lowered = name.lower()
        if lowered in ("schemas", "id", "meta"):
            continue
        if lowered == ENTERPRISE_USER.lower():
            fields[ENTERPRISE_USER] = value
        elif lowered.startswith(ENTERPRISE_USER.lower() + ":"):
            fields.setdefault(ENTERPRISE_USER, {})[name[len(ENTERPRISE_USER) + 1 :]] = (
                value
            )
        else:
            fields[name] = value
    return fields


def _get(fields: dict, name: str):
    return next((v for k, v in fields.items() if k.lower() == name.lower()), None)


# --- the organisation's teams, by path -------------------------------------------


@dataclass(frozen=True)
class Teams:
    """Every team's path 'Region/Jobcentre/Team', read in one query."""

    path_of: dict[int, str]
    by_path: dict[str, int]

    @classmethod
    def load(cls) -> "Teams":
        units = {unit.id: unit for unit in db.session.scalars(sa.select(OrgUnit))}

        def path(unit: OrgUnit) -> str:
            names = []
            seen = set()
            while unit is not None and unit.id not in seen:
                seen.add(unit.id)
                names.append(unit.name)
                unit = units.get(unit.parent_id)
            return "/".join(reversed(names))

        path_of = {
            unit.id: path(unit) for unit in units.values() if unit.kind is UnitKind.team
        }
        return cls(path_of, {p.lower(): i for i, p in path_of.items()})


# --- users --------------------------------------------------------------------------


def _visible():
    """Accounts SCIM sees: all but those the directory deleted."""
    return (
        sa.select(User, ScimUser)
        .outerjoin(ScimUser, ScimUser.user_id == User.id)
        .where(ScimUser.removed_at.is_(None))
    )


def _user_name_column():
    return sa.func.coalesce(ScimUser.user_name, User.email)


def _groups_compare(tree: filters.Compare):
    members = sa.select(DirectoryGroupMember.user_id).join(DirectoryGroup)
    if tree.path.lower() == "groups.value":
        try:
            group_id = as_id(tree.value) if tree.op == "eq" else None
        except (TypeError, ValueError):
            return sa.false()
        if group_id is None:
            raise filters.invalid()
        members = members.where(DirectoryGroupMember.group_id == group_id)
    else:
        members = members.where(
            filters.compare(DirectoryGroup.display_name, "text", tree)
        )
    return User.id.in_(members)


def _id_compare(tree: filters.Compare):
    if tree.op != "eq":
        raise filters.invalid()
    try:
        return User.id == as_id(tree.value)
    except (TypeError, ValueError):
        return sa.false()


USER_COLUMNS = {
    "id": _id_compare,
    "username": (_user_name_column(), "text"),
    "displayname": (User.name, "text"),
    "emails": (User.email, "text"),
    "emails.value": (User.email, "text"),
    "active": (User.active, "boolean"),
    "externalid": (ScimUser.external_id, "exact"),
    "usertype": (sa.type_coerce(User.employer_kind, sa.String), "text"),
    "groups.value": _groups_compare,
    "groups.display": _groups_compare,
    (ENTERPRISE_USER + ":department").lower(): lambda tree: User.team_id.in_(
        _team_ids(tree)
    ),
}


def _team_ids(tree: filters.Compare) -> list[int]:
    teams = Teams.load()
    return [
        team_id
        for team_id, path in teams.path_of.items()
        if filters.matches(
            filters.Compare("department", tree.op, tree.value), {"department": path}
        )
    ]


def find_user(user_id: str) -> tuple[User, ScimUser | None]:
    try:
        number = as_id(user_id)
    except ValueError:
        raise not_found() from None
    row = db.session.execute(_visible().where(User.id == number)).first()
    if row is None:
        raise not_found()
    return row[0], row[1]


def list_users(filter_text: str | None, start: int, count: int):
    """(total, [(user, scim row)]) of one page, in the order of their ids."""
    stmt = _visible()
    if filter_text:
        stmt = stmt.where(filters.to_sql(filters.parse(filter_text), USER_COLUMNS))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.options(joinedload(User.team))
        .order_by(User.id)
        .offset(start - 1)
        .limit(count)
    ).all()
    return total, [(row[0], row[1]) for row in rows]


def _memberships(user_ids: list[int]) -> dict[int, list[DirectoryGroup]]:
    found: dict[int, list[DirectoryGroup]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return found
    for user_id, group in db.session.execute(
        sa.select(DirectoryGroupMember.user_id, DirectoryGroup)
        .join(DirectoryGroup)
        .where(DirectoryGroupMember.user_id.in_(user_ids))
        .order_by(DirectoryGroup.display_name)
    ):
        found[user_id].append(group)
    return found


def user_locations(user_ids) -> dict[int, str]:
    return {
        user_id: url_for("scim.user", user_id=user_id, _external=True)
        for user_id in user_ids
    }


def user_resources(rows, teams: Teams) -> list[dict]:
    groups = _memberships([user.id for user, _row in rows])
    return [_user_resource(user, row, teams, groups[user.id]) for user, row in rows]


def user_resource(user: User, row: ScimUser | None) -> dict:
    return user_resources([(user, row)], Teams.load())[0]


def _user_resource(
    user: User, row: ScimUser | None, teams: Teams, groups: list[DirectoryGroup]
) -> dict:
    resource = {
        "schemas": [CORE_USER],
        "id": str(user.id),
        "userName": row.user_name if row else user.email,
        "displayName": user.name,
        "emails": [{"value": user.email}],
        "active": user.active,
        "userType": user.employer_kind.value,
    }
    if row is not None and row.external_id:
        resource["externalId"] = row.external_id
    if groups:
        resource["groups"] = [
            {
                "value": str(group.id),
                "$ref": url_for("scim.group", group_id=group.id, _external=True),
                "display": group.display_name,
            }
            for group in groups
        ]
    if user.team_id in teams.path_of:
        resource["schemas"].append(ENTERPRISE_USER)
        resource[ENTERPRISE_USER] = {"department": teams.path_of[user.team_id]}
    resource["meta"] = {
        "resourceType": "User",
        "created": user.created_at.isoformat(),
        "lastModified": (row.updated_at if row else user.created_at).isoformat(),
        "location": url_for("scim.user", user_id=user.id, _external=True),
    }
    return resource


def user_document(user: User, row: ScimUser | None) -> dict:
    """The writable attributes PATCH works on; the e-mail is the work one."""
    resource = user_resource(user, row)
    for name in ("schemas", "id", "meta", "groups"):
        resource.pop(name, None)
    resource["emails"][0]["type"] = "work"
    return resource


def _email(fields: dict, user_name: str) -> str:
    emails = _get(fields, "emails")
    if emails is not None and not isinstance(emails, list):
        raise invalid_value(_("'emails' must be a list."))
    emails = [e for e in emails or [] if isinstance(e, dict) and e.get("value")]
    chosen = next((e for e in emails if e.get("primary") is True), None)
    chosen = chosen or next(
        (e for e in emails if str(e.get("type", "")).lower() == "work"), None
    )
    chosen = chosen or (emails[0] if emails else None)
    if chosen is not None:
        return _text(chosen["value"], "emails", limit=254, required=True)
    if "@" in user_name:
        return user_name
    raise invalid_value(_("The person needs an e-mail address."))


def _name(fields: dict, user_name: str) -> str:
    name = _text(_get(fields, "displayName"), "displayName", limit=200)
    parts = _get(fields, "name")
    if name is None and isinstance(parts, dict):
        name = (
            _text(parts.get("formatted"), "name.formatted", limit=200)
            or " ".join(
                p.strip()
                for p in (parts.get("givenName"), parts.get("familyName"))
                if isinstance(p, str) and p.strip()
            )[:200]
        )
    return name or user_name[:200]


def _employer_kind(fields: dict, default: EmployerKind) -> EmployerKind:
    value = _get(fields, "userType")
    if value is None or value == "":
        return default
    try:
        return EmployerKind(str(value).strip().lower())
    except ValueError:
        kinds = ", ".join(kind.value for kind in EmployerKind)
        raise invalid_value(
            _("'userType' is one of: %(kinds)s.", kinds=kinds)
        ) from None


def _team(fields: dict, teams: Teams) -> OrgUnit | None:
    extension = fields.get(ENTERPRISE_USER)
    if extension is None:
        return None
    if not isinstance(extension, dict):
        raise invalid_value(_("The enterprise extension must be an object."))
    path = _text(_get(extension, "department"), "department", limit=1000)
    if path is None:
        return None
    team_id = teams.by_path.get(path.strip("/").lower())
    if team_id is None:
        raise invalid_value(
            _("No team is at '%(path)s' (write 'Region/Jobcentre/Team').", path=path)
        )
    return db.session.get(OrgUnit, team_id)


def _people_error(error: PeopleError) -> ScimError:
    if error.code == "email_taken":
        return ScimError(409, str(error), "uniqueness")
    return invalid_value(str(error))


def _user_name_taken(user_name: str, user: User | None) -> ScimUser | None:
    """The row of another account with this userName; a removed one may come
    back. An account the directory never named is known by its e-mail."""
    row = db.session.scalar(sa.select(ScimUser).where(ScimUser.user_name == user_name))
    if row is not None and (user is None or row.user_id != user.id):
        return row
    other = db.session.scalar(
        sa.select(User)
        .outerjoin(ScimUser, ScimUser.user_id == User.id)
        .where(User.email == user_name, ScimUser.id.is_(None))
    )
    if other is not None and (user is None or other.id != user.id):
        raise ScimError(409, _("Another person has this userName."), "uniqueness")
    return None


def write_user(actor: User, payload, user: User | None = None) -> tuple[User, ScimUser]:
    """Create (`user` None) or replace a person from a whole resource."""
    fields = _fields(payload)
    user_name = _text(_get(fields, "userName"), "userName", limit=254, required=True)
    user_name = user_name.lower()
    taken = _user_name_taken(user_name, user)
    if taken is not None:
        if taken.removed_at is None or user is not None:
            raise ScimError(409, _("Another person has this userName."), "uniqueness")
        # The directory deleted this person and now adds them again.
        user, taken.removed_at = taken.user, None
    teams = Teams.load()
    active = _get(fields, "active")
    values = {
        "email": _email(fields, user_name),
        "name": _name(fields, user_name),
        "employer_kind": _employer_kind(
            fields, user.employer_kind if user else EmployerKind.municipal
        ),
        "team": _team(fields, teams),
        "active": True if active is None else _boolean(active, "active"),
    }
    external_id = _text(_get(fields, "externalId"), "externalId", limit=255)
    try:
        if user is None:
            user = people.create_user(actor, roles=[Role.employee], **values)
        else:
            user = people.update_user(actor, user, roles=user.roles, **values)
    except PeopleError as error:
        raise _people_error(error) from None
    row = db.session.scalar(sa.select(ScimUser).where(ScimUser.user_id == user.id))
    if row is None:
        row = ScimUser(user_id=user.id, user_name=user_name)
        db.session.add(row)
    row.user_name, row.external_id, row.updated_at = user_name, external_id, utcnow()
    db.session.flush()
    return user, row


def remove_user(actor: User, user: User, row: ScimUser | None) -> None:
    """The directory deleted the person: deactivate the account and keep its
    history (bookings, ratings, plans); SCIM no longer finds it."""
    if row is None:
        row = ScimUser(user_id=user.id, user_name=user.email)
        db.session.add(row)
    people.update_user(
        actor,
        user,
        email=user.email,
        name=user.name,
        roles=user.roles,
        employer_kind=user.employer_kind,
        team=user.team,
        active=False,
    )
    row.removed_at = row.updated_at = utcnow()
    db.session.execute(
        sa.delete(DirectoryGroupMember).where(DirectoryGroupMember.user_id == user.id)
    )
    db.session.flush()
    record(actor, "user.removed_by_directory", user)


# --- groups -------------------------------------------------------------------------


def _group_id_compare(tree: filters.Compare):
    if tree.op != "eq":
        raise filters.invalid()
    try:
        return DirectoryGroup.id == as_id(tree.value)
    except (TypeError, ValueError):
        return sa.false()


def _members_compare(tree: filters.Compare):
    if tree.op != "eq":
        raise filters.invalid()
    try:
        user_id = as_id(tree.value)
    except (TypeError, ValueError):
        return sa.false()
    return DirectoryGroup.id.in_(
        sa.select(DirectoryGroupMember.group_id).where(
            DirectoryGroupMember.user_id == user_id
        )
    )


GROUP_COLUMNS = {
    "id": _group_id_compare,
    "displayname": (DirectoryGroup.display_name, "text"),
    "externalid": (DirectoryGroup.external_id, "exact"),
    "members": _members_compare,
    "members.value": _members_compare,
}


def find_group(group_id: str) -> DirectoryGroup:
    try:
        group = db.session.get(DirectoryGroup, as_id(group_id))
    except ValueError:
        group = None
    if group is None:
        raise not_found()
    return group


def list_groups(filter_text: str | None, start: int, count: int):
    stmt = sa.select(DirectoryGroup)
    if filter_text:
        stmt = stmt.where(filters.to_sql(filters.parse(filter_text), GROUP_COLUMNS))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    groups = list(
        db.session.scalars(
            stmt.order_by(DirectoryGroup.id).offset(start - 1).limit(count)
        )
    )
    return total, groups


def group_resources(groups: list[DirectoryGroup]) -> list[dict]:
    members: dict[int, list[int]] = {group.id: [] for group in groups}
    if groups:
        for group_id, user_id in db.session.execute(
            sa.select(DirectoryGroupMember.group_id, DirectoryGroupMember.user_id)
            .where(DirectoryGroupMember.group_id.in_(list(members)))
            .order_by(DirectoryGroupMember.user_id)
        ):
            members[group_id].append(user_id)
    locations = user_locations({u for ids in members.values() for u in ids})
    return [_group_resource(group, members[group.id], locations) for group in groups]


def _group_resource(group: DirectoryGroup, member_ids, locations) -> dict:
    resource = {
        "schemas": [CORE_GROUP],
        "id": str(group.id),
        "displayName": group.display_name,
    }
    if group.external_id:
        resource["externalId"] = group.external_id
    if member_ids:
        resource["members"] = [
            {"value": str(user_id), "$ref": locations[user_id], "type": "User"}
            for user_id in member_ids
        ]
    resource["meta"] = {
        "resourceType": "Group",
        "created": group.created_at.isoformat(),
        "lastModified": group.updated_at.isoformat(),
        "location": url_for("scim.group", group_id=group.id, _external=True),
    }
    return resource


def group_document(group: DirectoryGroup) -> dict:
    resource = group_resources([group])[0]
    for name in ("schemas", "id", "meta"):
        resource.pop(name, None)
    return resource


def _member_ids(fields: dict) -> set[int]:
    members = _get(fields, "members")
    if members is None:
        return set()
    if not isinstance(members, list):
        raise invalid_value(_("'members' must be a list."))
    ids = set()
    for member in members:
        if not isinstance(member, dict) or member.get("value") in (None, ""):
            raise invalid_value(_("Each member needs a 'value', the person's id."))
        kind = member.get("type")
        if kind is not None and str(kind).lower() != "user":
            raise invalid_value(_("A group's members are people."))
        try:
            ids.add(as_id(member["value"]))
        except (TypeError, ValueError):
            raise invalid_value(
                _("No person has the id '%(id)s'.", id=member["value"])
            ) from None
    if ids:
        known = set(
            db.session.scalars(
                sa.select(User.id)
                .outerjoin(ScimUser, ScimUser.user_id == User.id)
                .where(User.id.in_(ids), ScimUser.removed_at.is_(None))
            )
        )
        unknown = sorted(ids - known)
        if unknown:
            raise invalid_value(_("No person has the id '%(id)s'.", id=unknown[0]))
    return ids


def write_group(actor: User, payload, group: DirectoryGroup | None = None):
    """Create (`group` None) or replace a group and its members; the members'
    roles and teams follow the settings' mapping."""
    fields = _fields(payload)
    name = _text(_get(fields, "displayName"), "displayName", limit=255, required=True)
    other = db.session.scalar(
        sa.select(DirectoryGroup).where(
            sa.func.lower(DirectoryGroup.display_name) == name.lower()
        )
    )
    if other is not None and other is not group:
        raise ScimError(409, _("Another group has this name."), "uniqueness")
    external_id = _text(_get(fields, "externalId"), "externalId", limit=255)
    wanted = _member_ids(fields)
    if group is None:
        group = DirectoryGroup(display_name=name)
        db.session.add(group)
        before = set()
    else:
        before = {member.user_id for member in group.members}
    group.display_name, group.external_id = name, external_id
    group.updated_at = utcnow()
    group.members = [member for member in group.members if member.user_id in wanted] + [
        DirectoryGroupMember(user_id=user_id) for user_id in sorted(wanted - before)
    ]
    db.session.flush()
    record(
        actor,
        "directory_group.written",
        group,
        before={"members": sorted(before)},
        after={"name": name, "members": sorted(wanted)},
    )
    apply_mapping(actor, before | wanted)
    return group


def remove_group(actor: User, group: DirectoryGroup) -> None:
    members = {member.user_id for member in group.members}
    record(actor, "directory_group.removed", group, before={"name": group.display_name})
    db.session.delete(group)
    db.session.flush()
    apply_mapping(actor, members)


def apply_mapping(actor: User, user_ids: set[int]) -> None:
    """Give each person the roles and team their directory groups map to
    (OIDC_GROUP_ROLES, OIDC_GROUP_UNITS: by the group's name or external id),
    as sign-on does from the same groups."""
    role_map = current_app.config.get("OIDC_GROUP_ROLES") or {}
    unit_map = current_app.config.get("OIDC_GROUP_UNITS") or {}
    if not user_ids or not (role_map or unit_map):
        return
    keys: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
    for user_id, name, external_id in db.session.execute(
        sa.select(
            DirectoryGroupMember.user_id,
            DirectoryGroup.display_name,
            DirectoryGroup.external_id,
        )
        .join(DirectoryGroup)
        .where(DirectoryGroupMember.user_id.in_(user_ids))
        .order_by(DirectoryGroup.display_name)
    ):
        keys[user_id] += [k for k in (name, external_id) if k]
    teams = Teams.load()
    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))
    for user in users:
        before = {"roles": sorted(r.value for r in user.roles), "team_id": user.team_id}
        if role_map:
            roles = {Role.employee}
            for key in keys[user.id]:
                roles.update(Role(name) for name in role_map.get(key, ()))
            user.set_roles(roles)
        for key in keys[user.id]:
            path = unit_map.get(key)
            team_id = teams.by_path.get(path.strip("/").lower()) if path else None
            if team_id is not None:
                user.team_id = team_id
                break
        after = {"roles": sorted(r.value for r in user.roles), "team_id": user.team_id}
        if after != before:
            record(
                actor, "user.directory_groups_applied", user, before=before, after=after
            )
    db.session.flush()
