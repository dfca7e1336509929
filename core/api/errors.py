"""The API's errors: JSON with a machine code (English, stable) and a message
in the caller's language, documented once and answered for every /api/ path."""

from http import HTTPStatus

from flask import jsonify
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"

CODES = {
    400: ("bad_request", _l("The request could not be read.")),
    401: ("unauthorized", _l("A valid access token is required.")),
    403: ("forbidden", _l("The access token does not allow this.")),
    404: ("not_found", _l("Nothing was found at this address.")),
    405: ("method_not_allowed", _l("This address does not accept that method.")),
    409: ("conflict", _l("The request conflicts with the current state.")),
    413: ("too_large", _l("The request is too large.")),
    415: ("unsupported_media_type", _l("Send the request body as JSON.")),
    422: ("invalid_input", _l("Some of the input is not valid.")),
    429: ("too_many_requests", _l("Too many requests: wait a moment and try again.")),
}
SERVER_ERROR = ("server_error", _l("Something went wrong on our side."))
# What every operation may answer besides its own success and errors.
COMMON = (400, 404, 405, 422, 429)


class ErrorSchema(Schema):
    code = fields.String(
        required=True, metadata={"description": "A stable machine code."}
    )
    message = fields.String(required=True, metadata={"description": "For people."})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Per input field (or location), what is wrong."},
    )


class ApiError(HTTPException):
    """An error an endpoint raises with its own machine code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(description=message)
        self.code = status
        self.machine_code = code


def is_api(path: str) -> bool:
    """Whether `path` is the API's (its errors answer in JSON)."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def answer(error: HTTPException):
    """The JSON answer for `error`: its own message where the code gave one,
    else the status's."""
    status = error.code or 500
    code, default = CODES.get(status, SERVER_ERROR)
    data = getattr(error, "data", None) or {}
    own = error.description != type(error).description
    body = {
        "code": getattr(error, "machine_code", code),
        "message": error.description if own and status != 422 else str(default),
    }
    if data.get("messages"):
        body["errors"] = data["messages"]
    response = jsonify(body)
    response.status_code = status
    response.headers.update(data.get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def answers(blueprint, *statuses: int):
    """Document that an operation may answer these error statuses (the JSON
    error), besides the 422 its arguments document themselves."""

    def decorate(view):
        for status in statuses:
            view = blueprint.alt_response(status, response=HTTPStatus(status).name)(
                view
            )
        return view

    return decorate
