"""Where the app may send a person on to: the open-redirect guard every area uses,
and the address links in mails and feeds start with."""

from urllib.parse import urlsplit

from flask import current_app, g, has_app_context

# Outside a request (a CLI command) with no BASE_URL there is no address to copy.
FALLBACK_BASE_URL = "http://localhost"


def public_base_url() -> str:
    """BASE_URL when it is set; otherwise the address the current request reached
    the app at (scheme, host and port, noted by a request hook in core.bootstrap),
    so links work wherever the app is served."""
    configured = (current_app.config.get("BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    reached = g.get("address_reached") if has_app_context() else None
    return (reached or FALLBACK_BASE_URL).rstrip("/")


def safe_next(target: str | None) -> str | None:
    """A local path to go on to (after login, after an action), or None for anything
    that could leave the site (absolute URLs, protocol-relative '//host', backslash
    tricks, control characters)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ch in target for ch in "\r\n\t\x00"):
        return None
    return target
