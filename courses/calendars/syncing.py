"""Reading the provider feeds an administrator registered: each when it is due,
with the validators of the last file applied, one transaction per provider.

A job, not a service: it commits, so the command can go on to the next
provider when one feed fails.
"""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from core import clock
from core.db import db, utcnow, write_intent
from courses.calendars import imports
from courses.calendars.errors import CalendarImportError
from courses.calendars.ical_parse import refresh_interval
from courses.calendars.models import CalendarImport, FeedCheck, ImportSource
from courses.catalogue.models import Provider


def _check_address(url: str) -> None:
    """Refuse anything but a web address on the public internet.

    The server fetches feeds itself, so a feed URL (or a redirect) must not reach
    the machine's own services or the internal network: loopback, private,
    link-local (cloud metadata) and reserved addresses are refused, except on
    the hosts named in CALENDAR_FETCH_PRIVATE_HOSTS. (The name is resolved
    again when connecting, so a DNS answer that changes in between is not
    caught.)
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise urllib.error.URLError(f"{url!r} is not a web address")
    if parts.hostname in current_app.config["CALENDAR_FETCH_PRIVATE_HOSTS"]:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443)
    except (OSError, UnicodeError) as exc:
        raise urllib.error.URLError(f"{parts.hostname!r} not found") from exc
    for *_, address in found:
        ip = ipaddress.ip_address(address[0].split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise urllib.error.URLError(f"{parts.hostname} is not a public address")


class _WebOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects to public web addresses only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class Fetched:
    """A feed read: its bytes (None when the server says 304 Not Modified) and
    the validators to send next time."""

    data: bytes | None
    etag: str = ""
    last_modified: str = ""


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """The bytes at a provider's feed URL, with a timeout and the upload size cap;
    with validators from an earlier read the server may answer 304."""
    try:
        _check_address(url)
    except (urllib.error.URLError, ValueError) as exc:  # ValueError: a bad port
        raise CalendarImportError("fetch_failed", detail=exc) from exc
    limit = current_app.config["CALENDAR_IMPORT_MAX_BYTES"]
    opener = urllib.request.OpenerDirector()
    # Only web handlers: no file:, ftp: or data:, whatever a redirect says.
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _WebOnly(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    headers = {"Accept": "text/calendar", "User-Agent": "kompetence-sync"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(
            request, timeout=current_app.config["CALENDAR_FETCH_TIMEOUT"]
        ) as answer:
            data = answer.read(limit + 1)
            found = answer.headers
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and (etag or last_modified):
            return Fetched(None, etag, last_modified)
        raise CalendarImportError("fetch_failed", detail=exc) from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise CalendarImportError("fetch_failed", detail=exc) from exc
    if len(data) > limit:
        raise CalendarImportError("too_large", detail=len(data))
    return Fetched(
        data,
        (found.get("ETag") or "")[:200],
        (found.get("Last-Modified") or "")[:100],
    )


# A feed that asks to be read less often is still read every week.
_LONGEST_WAIT = 7 * 24 * 3600


def _last_applied(provider: Provider) -> CalendarImport | None:
    """The provider's feed file applied last."""
    return db.session.scalar(
        sa.select(CalendarImport)
        .where(
            CalendarImport.provider_id == provider.id,
            CalendarImport.source == ImportSource.feed,
            CalendarImport.applied_at.is_not(None),
        )
        .order_by(CalendarImport.id.desc())
        .limit(1)
    )


def _applied_today(last: CalendarImport) -> bool:
    """Series are read from today on: a file applied on an earlier day is
    applied again, so its long series get their next meetings."""
    return clock.local_date(last.applied_at) >= clock.today()


def _interval(check: FeedCheck | None) -> timedelta:
    config = current_app.config
    asked = check.refresh_seconds if check else None
    seconds = max(
        asked or config["CALENDAR_FEED_REFRESH_DEFAULT"],
        config["CALENDAR_FEED_REFRESH_MIN"],
    )
    return timedelta(seconds=min(seconds, _LONGEST_WAIT))


def _record_check(provider: Provider, now, fetched=None) -> None:
    """Note the read in its own transaction. The validators change only with a
    file that was applied (or was already), so a file that failed is read again
    in full next time instead of being answered 304."""
    with write_intent():
        check = db.session.get(FeedCheck, provider.id) or FeedCheck(
            provider_id=provider.id
        )
        check.checked_at = now
        if fetched is not None:
            check.etag, check.last_modified = fetched.etag, fetched.last_modified
            interval = refresh_interval(fetched.data)
            check.refresh_seconds = int(interval.total_seconds()) if interval else None
        db.session.add(check)
        db.session.commit()


def sync_provider(provider: Provider, *, force: bool = False) -> str:
    """Fetch and apply one provider's feed when it is due; a line for the log."""
    now = utcnow()
    check = db.session.get(FeedCheck, provider.id)
    due = check.checked_at + _interval(check) if check else now
    if due > now and not force:
        return f"{provider.key}: not due until {due:%Y-%m-%d %H:%M} UTC"
    fetched = fetch(
        provider.feed_url,
        etag=check.etag if check else "",
        last_modified=check.last_modified if check else "",
    )
    last = _last_applied(provider)
    if fetched.data is None:
        if last is None or _applied_today(last):
            _record_check(provider, now)
            return f"{provider.key}: unchanged (304)"
        # Not modified, but a day on: apply the same bytes again.
        fetched = Fetched(last.data, check.etag, check.last_modified)
    same = last is not None and last.sha256 == imports.digest(fetched.data)
    if same and _applied_today(last):
        _record_check(provider, now, fetched)
        return f"{provider.key}: unchanged"
    try:
        with write_intent():
            if same:  # a day on: its series go on, from the copy already kept
                plan = imports.reapply(None, last)
            else:
                # A feed is the provider's whole calendar: sessions it drops
                # are cancelled.
                stored, events = imports.store(
                    None,
                    provider,
                    fetched.data,
                    source=ImportSource.feed,
                    replace_all=True,
                )
                plan = imports.apply(None, stored, events=events)
            db.session.commit()
    except Exception:
        db.session.rollback()
        _record_check(provider, now)
        raise
    _record_check(provider, now, fetched)
    counts = plan.counts
    return (
        f"{provider.key}: {counts['create']} created, {counts['change']} changed, "
        f"{counts['cancel']} cancelled, {counts['same']} unchanged"
    )
