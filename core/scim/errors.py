"""SCIM's errors (RFC 7644 3.12): JSON with the status, a scimType where one
fits, and a detail in the caller's language, for every path under /scim/v2."""

from flask import jsonify
from werkzeug.exceptions import HTTPException

PREFIX = "/scim/v2"
MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(HTTPException):
    """An error a SCIM operation answers with, e.g. 400 invalidFilter."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(description=str(detail))
        self.code = status
        self.scim_type = scim_type


def is_scim(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def answer(error: HTTPException):
    status = error.code or 500
    body = {"schemas": [ERROR_SCHEMA], "status": str(status)}
    scim_type = getattr(error, "scim_type", None)
    if scim_type:
        body["scimType"] = scim_type
    if error.description:
        body["detail"] = str(error.description)
    response = jsonify(body)
    response.status_code = status
    response.content_type = MEDIA_TYPE
    # A refused token's challenge (WWW-Authenticate) or wait (Retry-After).
    response.headers.update((getattr(error, "data", None) or {}).get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
