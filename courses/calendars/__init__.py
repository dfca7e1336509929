"""iCalendar export and import: ical.py is pure; services and views sit around it."""

from urllib.parse import urlsplit

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.registry import NavItem, add_nav
from courses.calendars import (
    booking_part,
    catalogue_part,
    cli,
    import_views,
    kept_feeds,
    models,  # noqa: F401  (registers the tables)
    permissions,
    stamps,
    views,
)
from courses.catalogue.permissions import can_use_provider_pages

# Each view module adds its pages to the area's blueprint here, once per process
# (Flask refuses new routes on a blueprint an app has registered).
import_views.register(views.bp)

DEFAULTS = {
    "CALENDAR_IMPORT_MAX_BYTES": 5_000_000,
    "CALENDAR_IMPORT_MAX_EVENTS": 10_000,
    "CALENDAR_IMPORT_MAX_MEETINGS": 500,
    "CALENDAR_IMPORT_HORIZON_DAYS": 3 * 366,
    "CALENDAR_FETCH_TIMEOUT": 20,
    # Feeds on loopback or the internal network are refused, except on these
    # hosts (a provider's server inside the network, or a test server).
    "CALENDAR_FETCH_PRIVATE_HOSTS": (),
    # How often sync-calendars reads a provider's feed: the feed's own
    # REFRESH-INTERVAL (RFC 7986) if it gives one, else the default; never more
    # often than the minimum, however often cron runs the command.
    "CALENDAR_FEED_REFRESH_DEFAULT": 3600,
    "CALENDAR_FEED_REFRESH_MIN": 900,
    # A worker confirms a client's copy of a feed (304) from the state it read
    # this many seconds ago at most; 0 reads the database for every request.
    "CALENDAR_FEED_STATE_SECONDS": 2,
    # Each worker keeps the provider and personal feeds' bytes under the state
    # they were built at, up to this many bytes in all (kept_feeds.py); 0 keeps
    # none.
    "CALENDAR_FEED_KEEP_BYTES": 32 * 1024 * 1024,
}


def init_app(app: Flask) -> None:
    """Register the calendar pages and feeds."""
    # UIDs must not change with the host a feed is read through: fix the domain.
    host = urlsplit(app.config["BASE_URL"]).hostname or "localhost"
    app.config.setdefault("CALENDAR_UID_DOMAIN", host)
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    # Refuse huge request bodies before anything reads them (Flask's default is
    # no limit); uploads check their own, smaller limit on top of this.
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    app.register_blueprint(views.bp, name_prefix="courses")
    catalogue_part.register(app)
    booking_part.register(app)
    cli.init_app(app)
    stamps.listen()
    kept_feeds.init_app(app)
    app.jinja_env.globals.update(
        can_use_personal_calendar=permissions.can_use_personal_calendar,
        can_import_calendar=permissions.can_import_calendar,
        can_download_booking=permissions.can_download_booking,
    )
    add_nav(
        app,
        NavItem(
            _l("My calendar"),
            "courses.calendars.index",
            permissions.can_use_personal_calendar,
            order=450,
        ),
    )
    add_nav(
        app,
        NavItem(
            _l("Calendar import"),
            "courses.calendars.providers",
            can_use_provider_pages,
            order=610,
        ),
    )
