"""Refused sign-ins and refused authorisations, for the operators' log monitoring
(a flood of refusals is an attack in progress). A line says who (an account id,
never what was typed: a password typed into the e-mail field must not reach a
log), from which address, and what was refused."""

import logging

log = logging.getLogger("kompetence.security")


def sign_in_refused(reason: str, user_id: int | None, address: str) -> None:
    """`user_id` is None when no account has the e-mail, or when a lock refused
    the attempt before the account was looked up (the lock's point is to spend
    nothing on a flood)."""
    log.warning(
        "sign-in refused (%s): account=%s address=%s",
        reason,
        user_id if user_id is not None else "-",
        address or "-",
    )


def access_refused(user_id: str | None, address: str, method: str, path: str) -> None:
    log.warning(
        "access refused: user=%s address=%s %s %s",
        user_id or "-",
        address or "-",
        method,
        path,
    )


def token_refused(address: str, method: str, path: str) -> None:
    """A request to a token route (the API, SCIM) without a valid bearer token;
    the header is never logged, a wrong token may be someone's real one."""
    log.warning("token refused: address=%s %s %s", address or "-", method, path)
