"""Static file addresses that change when the file does, so a browser may keep
each file for a year (README "Drift": nginx serves /static/ with `?v=` for a
year, immutable; without it for a week).

`url_for("static", filename=...)` adds `v`, the first characters of the file's
SHA-256. Each worker computes it once per file and keeps it until it stops: a
release restarts the workers (systemctl reload), so a changed file gets a new
address on the first page after the release. In debug mode the file's time of
change is read on every call, so an edit shows at once. A file that does not
exist gets no `v`, and the address answers 404 as before.

Addresses written inside CSS files (the design system's fonts and images) carry
no version and keep the week."""

import hashlib
from pathlib import Path

from flask import Flask, current_app
from werkzeug.security import safe_join

VERSION_LENGTH = 12
_versions: dict[tuple[str, str, float | None], str | None] = {}


def _version(folder: str, filename: str, changed: float | None) -> str | None:
    key = (folder, filename, changed)
    if key not in _versions:
        path = safe_join(folder, filename)
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except (OSError, TypeError):  # not there, a folder or outside: 404 as before
            digest = None
        _versions[key] = digest[:VERSION_LENGTH] if digest else None
    return _versions[key]


def _changed(folder: str, filename: str) -> float | None:
    try:
        return Path(safe_join(folder, filename)).stat().st_mtime
    except (OSError, TypeError):
        return None


def add_version(endpoint: str, values: dict) -> None:
    """A url_defaults hook: `v` for the static endpoint's files."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    app = current_app
    folder, filename = app.static_folder, values["filename"]
    if folder is None:
        return
    changed = _changed(folder, filename) if app.debug else None
    version = _version(folder, filename, changed)
    if version:
        values["v"] = version


def init_app(app: Flask) -> None:
    app.url_defaults(add_version)
