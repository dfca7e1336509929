"""What the service says about itself (RFC 7643 sections 5-7, RFC 7644 section
4): its configuration, its two resource types and the schemas they follow,
written for what this platform keeps, not the whole of the standard schemas."""

from collections.abc import Iterable

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

MAX_RESULTS = 200


def attr(
    name: str,
    kind: str = "string",
    *,
    description: str = "",
    multi: bool = False,
    required: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    case_exact: bool = False,
    sub: Iterable[dict] = (),
    canonical: Iterable[str] = (),
    references: Iterable[str] = (),
) -> dict:
    """One attribute's definition (RFC 7643 7)."""
    definition = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description,
        "required": required,
        "mutability": mutability,
        "returned": returned,
    }
    if kind in ("string", "reference", "binary"):
        definition["caseExact"] = case_exact
    if kind in ("string", "integer", "reference", "binary"):
        definition["uniqueness"] = uniqueness
    if sub:
        definition["subAttributes"] = list(sub)
    if canonical:
        definition["canonicalValues"] = list(canonical)
    if references:
        definition["referenceTypes"] = list(references)
    return definition


def _user_schema(employer_kinds: list[str]) -> dict:
    return {
        "id": CORE_USER,
        "name": "User",
        "description": "A person with an account on the platform.",
        "attributes": [
            attr(
                "userName",
                description="The directory's unique name for the person.",
                required=True,
                uniqueness="server",
            ),
            attr(
                "displayName",
                description="The person's name as the platform shows it.",
                required=True,
            ),
            attr(
                "emails",
                "complex",
                description="The person's work e-mail (the platform keeps one).",
                multi=True,
                required=True,
                sub=[attr("value", description="The e-mail address.", required=True)],
            ),
            attr(
                "active",
                "boolean",
                description="Whether the person may sign in (true when not sent).",
                required=True,
            ),
            attr(
                "userType",
                description="The person's employer kind (municipal when not sent).",
                required=True,
                canonical=employer_kinds,
            ),
            attr(
                "groups",
                "complex",
                description="The directory groups the person is a member of.",
                multi=True,
                mutability="readOnly",
                sub=[
                    attr("value", description="The group's id.", mutability="readOnly"),
                    attr(
                        "$ref",
                        "reference",
                        description="The group's address.",
                        mutability="readOnly",
                        references=["Group"],
                    ),
                    attr(
                        "display",
                        description="The group's name.",
                        mutability="readOnly",
                    ),
                ],
            ),
        ],
    }


def _enterprise_schema(team_paths: list[str]) -> dict:
    return {
        "id": ENTERPRISE_USER,
        "name": "EnterpriseUser",
        "description": "Where the person works in the organisation.",
        "attributes": [
            attr(
                "department",
                description=(
                    "The person's team as 'Region/Jobcentre/Team', the names of "
                    "the organisation's units from the top down."
                ),
                canonical=team_paths,
            )
        ],
    }


GROUP_SCHEMA = {
    "id": CORE_GROUP,
    "name": "Group",
    "description": (
        "A group in the organisation's directory; the settings map groups to "
        "roles and teams."
    ),
    "attributes": [
        attr(
            "displayName",
            description="The group's name.",
            required=True,
            uniqueness="server",
        ),
        attr(
            "members",
            "complex",
            description="The people in the group.",
            multi=True,
            sub=[
                attr("value", description="The person's id.", mutability="immutable"),
                attr(
                    "$ref",
                    "reference",
                    description="The person's address.",
                    mutability="immutable",
                    references=["User"],
                ),
                attr(
                    "type",
                    description="What the member is (people only).",
                    mutability="immutable",
                    canonical=["User"],
                ),
            ],
        ),
    ],
}


def _meta_attributes() -> list[dict]:
    """The attributes of a schema's attribute definition (RFC 7643 7)."""
    simple = [
        attr("name", required=True, case_exact=True),
        attr(
            "type",
            required=True,
            canonical=[
                "string",
                "complex",
                "boolean",
                "decimal",
                "integer",
                "dateTime",
                "reference",
                "binary",
            ],
        ),
        attr("multiValued", "boolean", required=True),
        attr("description"),
        attr("required", "boolean"),
        attr("canonicalValues", multi=True),
        attr("caseExact", "boolean"),
        attr(
            "mutability", canonical=["readOnly", "readWrite", "immutable", "writeOnly"]
        ),
        attr("returned", canonical=["always", "never", "default", "request"]),
        attr("uniqueness", canonical=["none", "server", "global"]),
        attr("referenceTypes", multi=True),
    ]
    return [
        *simple,
        attr("subAttributes", "complex", multi=True, sub=simple),
    ]


SCHEMA_SCHEMA = {
    "id": SCHEMA,
    "name": "Schema",
    "description": "A schema's definition of its attributes.",
    "attributes": [
        attr("id", required=True, mutability="readOnly", case_exact=True),
        attr("name", mutability="readOnly"),
        attr("description", mutability="readOnly"),
        attr(
            "attributes",
            "complex",
            required=True,
            multi=True,
            mutability="readOnly",
            sub=_meta_attributes(),
        ),
    ],
}

RESOURCE_TYPE_SCHEMA = {
    "id": RESOURCE_TYPE,
    "name": "ResourceType",
    "description": "A kind of resource the service serves.",
    "attributes": [
        attr("id", mutability="readOnly", case_exact=True),
        attr("name", required=True, mutability="readOnly"),
        attr("description", mutability="readOnly"),
        attr(
            "endpoint",
            "reference",
            required=True,
            mutability="readOnly",
            references=["uri"],
        ),
        attr(
            "schema",
            "reference",
            required=True,
            mutability="readOnly",
            case_exact=True,
            references=["uri"],
        ),
        attr(
            "schemaExtensions",
            "complex",
            multi=True,
            mutability="readOnly",
            sub=[
                attr(
                    "schema",
                    "reference",
                    required=True,
                    mutability="readOnly",
                    case_exact=True,
                    references=["uri"],
                ),
                attr("required", "boolean", required=True, mutability="readOnly"),
            ],
        ),
    ],
}


def _supported(name: str) -> dict:
    return attr(
        name,
        "complex",
        required=True,
        mutability="readOnly",
        sub=[attr("supported", "boolean", required=True, mutability="readOnly")],
    )


SERVICE_PROVIDER_CONFIG_SCHEMA = {
    "id": SERVICE_PROVIDER_CONFIG,
    "name": "ServiceProviderConfig",
    "description": "What the service supports of the protocol.",
    "attributes": [
        attr(
            "documentationUri",
            "reference",
            mutability="readOnly",
            references=["external"],
        ),
        _supported("patch"),
        attr(
            "bulk",
            "complex",
            required=True,
            mutability="readOnly",
            sub=[
                attr("supported", "boolean", required=True, mutability="readOnly"),
                attr("maxOperations", "integer", required=True, mutability="readOnly"),
                attr("maxPayloadSize", "integer", required=True, mutability="readOnly"),
            ],
        ),
        attr(
            "filter",
            "complex",
            required=True,
            mutability="readOnly",
            sub=[
                attr("supported", "boolean", required=True, mutability="readOnly"),
                attr("maxResults", "integer", required=True, mutability="readOnly"),
            ],
        ),
        _supported("changePassword"),
        _supported("sort"),
        _supported("etag"),
        attr(
            "authenticationSchemes",
            "complex",
            required=True,
            multi=True,
            mutability="readOnly",
            sub=[
                attr("type", required=True, mutability="readOnly"),
                attr("name", required=True, mutability="readOnly"),
                attr("description", required=True, mutability="readOnly"),
                attr(
                    "specUri",
                    "reference",
                    mutability="readOnly",
                    references=["external"],
                ),
                attr(
                    "documentationUri",
                    "reference",
                    mutability="readOnly",
                    references=["external"],
                ),
                attr("primary", "boolean", mutability="readOnly"),
            ],
        ),
    ],
}


def schemas(*, employer_kinds: list[str], team_paths: list[str]) -> list[dict]:
    """Every schema, without its meta (the view adds where it lives)."""
    return [
        _user_schema(employer_kinds),
        _enterprise_schema(team_paths),
        GROUP_SCHEMA,
        SERVICE_PROVIDER_CONFIG_SCHEMA,
        RESOURCE_TYPE_SCHEMA,
        SCHEMA_SCHEMA,
    ]


RESOURCE_TYPES = [
    {
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "The people with an account.",
        "schema": CORE_USER,
        "schemaExtensions": [{"schema": ENTERPRISE_USER, "required": False}],
    },
    {
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "The directory's groups.",
        "schema": CORE_GROUP,
    },
]

SERVICE_PROVIDER_CONFIG = {
    "schemas": [SERVICE_PROVIDER_CONFIG],
    "patch": {"supported": True},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "filter": {"supported": True, "maxResults": MAX_RESULTS},
    "changePassword": {"supported": False},
    "sort": {"supported": False},
    "etag": {"supported": False},
    "authenticationSchemes": [
        {
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": (
                "A token with the scope 'scim' that an administrator makes on "
                "the page 'Brugerstyring fra kataloget'."
            ),
            "primary": True,
        }
    ],
}
