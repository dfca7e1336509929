"""Where the app may send a person on to: the open-redirect guard every area uses."""

from urllib.parse import urlsplit


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
