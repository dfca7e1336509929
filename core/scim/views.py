"""/scim/v2: the organisation's directory creates, changes and removes people
and groups (RFC 7644), with a token of scope 'scim' an administrator made."""

import sqlalchemy as sa
from flask import Blueprint, json, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.db import db
from core.numbers import INT4_MAX
from core.people.models import EmployerKind, Role
from core.scim import patch, resources
from core.scim.errors import MEDIA_TYPE, PREFIX, ScimError
from core.scim.schemas import (
    ENTERPRISE_USER,
    LIST_RESPONSE,
    MAX_RESULTS,
    RESOURCE_TYPE,
    RESOURCE_TYPES,
    SCHEMA,
    SERVICE_PROVIDER_CONFIG,
    schemas,
)
from core.tokens import require_token
from core.tokens.models import DIRECTORY_SCOPE

SCOPE = DIRECTORY_SCOPE

bp = Blueprint("scim", __name__, url_prefix=PREFIX)


@bp.before_request
@require_token(SCOPE)
def _only_for_an_administrators_token():
    # The token acts as the administrator who made it, while they still are one.
    if not current_user.has_role(Role.admin):
        raise ScimError(403, _("The token's owner is no longer an administrator."))


def _answer(body: dict, status: int = 200, headers: dict | None = None):
    return (
        json.dumps(body),
        status,
        {"Content-Type": MEDIA_TYPE, **(headers or {})},
    )


def _body():
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise ScimError(400, _("The request could not be read."), "invalidSyntax")
    return body


# --- listing: paging and the attributes asked for -----------------------------------


def _whole_number(value, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ScimError(
            400, _("'%(name)s' must be a whole number.", name=name), "invalidValue"
        ) from None


def _names(value) -> set[str]:
    """Top-level attribute names of an 'attributes' list, lower-cased; an
    extension's attribute counts as the extension."""
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    names = set()
    for item in (value or "").split(","):
        item = item.strip().lower()
        if not item:
            continue
        if item.startswith(ENTERPRISE_USER.lower()):
            names.add(ENTERPRISE_USER.lower())
            continue
        if item.startswith("urn:"):
            item = item.rsplit(":", 1)[-1]
        names.add(item.split(".", 1)[0])
    return names


def _project(resource: dict, attributes: set[str], excluded: set[str]) -> dict:
    always = {"id", "schemas"}
    if attributes:
        kept = {
            k: v for k, v in resource.items() if k in always or k.lower() in attributes
        }
    elif excluded:
        kept = {
            k: v
            for k, v in resource.items()
            if k in always or k.lower() not in excluded
        }
    else:
        return resource
    if ENTERPRISE_USER not in kept and ENTERPRISE_USER in kept.get("schemas", []):
        kept["schemas"] = [s for s in kept["schemas"] if s != ENTERPRISE_USER]
    return kept


def _query(params) -> dict:
    start = _whole_number(params.get("startIndex"), "startIndex") or 1
    count = _whole_number(params.get("count"), "count")
    return {
        "filter": params.get("filter"),
        "start": min(max(start, 1), INT4_MAX),
        "count": MAX_RESULTS if count is None else min(max(count, 0), MAX_RESULTS),
        "attributes": _names(params.get("attributes")),
        "excluded": _names(params.get("excludedAttributes")),
    }


def _list_response(total: int, start: int, items: list[dict]) -> dict:
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "itemsPerPage": len(items),
        "startIndex": start,
        "Resources": items,
    }


def _one(resource: dict, status: int = 200):
    attributes = _names(request.args.get("attributes"))
    excluded = _names(request.args.get("excludedAttributes"))
    headers = {"Location": resource["meta"]["location"]} if status == 201 else None
    return _answer(_project(resource, attributes, excluded), status, headers)


def _commit() -> None:
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise ScimError(
            409, _("Another resource has the same unique value."), "uniqueness"
        ) from None


# --- discovery -----------------------------------------------------------------------


@bp.get("/ServiceProviderConfig")
def service_provider_config():
    return _answer(
        {
            **SERVICE_PROVIDER_CONFIG,
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": url_for(".service_provider_config", _external=True),
            },
        }
    )


def _resource_type(resource_type: dict) -> dict:
    return {
        "schemas": [RESOURCE_TYPE],
        **resource_type,
        "meta": {
            "resourceType": "ResourceType",
            "location": url_for(
                ".resource_type", name=resource_type["id"], _external=True
            ),
        },
    }


@bp.get("/ResourceTypes")
def resource_types():
    items = [_resource_type(r) for r in RESOURCE_TYPES]
    return _answer(_list_response(len(items), 1, items))


@bp.get("/ResourceTypes/<name>")
def resource_type(name: str):
    for item in RESOURCE_TYPES:
        if item["id"] == name:
            return _answer(_resource_type(item))
    raise ScimError(404, _("No resource type has this name."))


def _schemas() -> list[dict]:
    teams = resources.Teams.load()
    return [
        {
            "schemas": [SCHEMA],
            **schema,
            "meta": {
                "resourceType": "Schema",
                "location": url_for(".schema", schema_id=schema["id"], _external=True),
            },
        }
        for schema in schemas(
            employer_kinds=[kind.value for kind in EmployerKind],
            team_paths=sorted(teams.path_of.values()),
        )
    ]


@bp.get("/Schemas")
def all_schemas():
    items = _schemas()
    return _answer(_list_response(len(items), 1, items))


@bp.get("/Schemas/<schema_id>")
def schema(schema_id: str):
    for item in _schemas():
        if item["id"] == schema_id:
            return _answer(item)
    raise ScimError(404, _("No schema has this id."))


# --- users ---------------------------------------------------------------------------


def _list_users(query: dict):
    total, rows = resources.list_users(query["filter"], query["start"], query["count"])
    items = [
        _project(r, query["attributes"], query["excluded"])
        for r in resources.user_resources(rows, resources.Teams.load())
    ]
    return _answer(_list_response(total, query["start"], items))


@bp.get("/Users")
def users():
    return _list_users(_query(request.args))


@bp.post("/Users/.search")
def search_users():
    return _list_users(_query(_body()))


@bp.post("/Users")
def create_user():
    user, row = resources.write_user(current_user, _body())
    _commit()
    return _one(resources.user_resource(user, row), 201)


@bp.get("/Users/<user_id>")
def user(user_id: str):
    return _one(resources.user_resource(*resources.find_user(user_id)))


@bp.put("/Users/<user_id>")
def replace_user(user_id: str):
    user, _row = resources.find_user(user_id)
    user, row = resources.write_user(current_user, _body(), user)
    _commit()
    return _one(resources.user_resource(user, row))


@bp.patch("/Users/<user_id>")
def patch_user(user_id: str):
    user, row = resources.find_user(user_id)
    document = patch.apply(
        resources.user_document(user, row), _body(), resources.USER_SHAPE
    )
    user, row = resources.write_user(current_user, document, user)
    _commit()
    return _one(resources.user_resource(user, row))


@bp.delete("/Users/<user_id>")
def delete_user(user_id: str):
    resources.remove_user(current_user, *resources.find_user(user_id))
    _commit()
    return "", 204


# --- groups --------------------------------------------------------------------------


def _list_groups(query: dict):
    total, groups = resources.list_groups(
        query["filter"], query["start"], query["count"]
    )
    items = [
        _project(r, query["attributes"], query["excluded"])
        for r in resources.group_resources(groups)
    ]
    return _answer(_list_response(total, query["start"], items))


@bp.get("/Groups")
def groups():
    return _list_groups(_query(request.args))


@bp.post("/Groups/.search")
def search_groups():
    return _list_groups(_query(_body()))


@bp.post("/Groups")
def create_group():
    group = resources.write_group(current_user, _body())
    _commit()
    return _one(resources.group_resources([group])[0], 201)


@bp.get("/Groups/<group_id>")
def group(group_id: str):
    return _one(resources.group_resources([resources.find_group(group_id)])[0])


@bp.put("/Groups/<group_id>")
def replace_group(group_id: str):
    group = resources.write_group(current_user, _body(), resources.find_group(group_id))
    _commit()
    return _one(resources.group_resources([group])[0])


@bp.patch("/Groups/<group_id>")
def patch_group(group_id: str):
    group = resources.find_group(group_id)
    document = patch.apply(
        resources.group_document(group), _body(), resources.GROUP_SHAPE
    )
    group = resources.write_group(current_user, document, group)
    _commit()
    return _one(resources.group_resources([group])[0])


@bp.delete("/Groups/<group_id>")
def delete_group(group_id: str):
    resources.remove_group(current_user, resources.find_group(group_id))
    _commit()
    return "", 204


# --- the rest ------------------------------------------------------------------------


@bp.post("/.search")
def search_everything():
    raise ScimError(501, _("Search one resource type at a time: /Users/.search."))


@bp.get("/")
@bp.get("/<path:rest>")
def nothing_here(rest: str = ""):
    raise ScimError(404, _("Nothing was found at this address."))
