"""Template filters and globals: Danish dates and numbers, money, safe links."""

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from flask import Flask, g, has_app_context, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    get_translations,
    gettext,
)

from core.people.permissions import can_administer, can_view_person


def money(amount: Decimal | int | float | None) -> str:
    """'4.500,00 kr.' in Danish; an empty string for no amount."""
    if amount is None:
        return ""
    return f"{format_decimal(amount, format='#,##0.00')} kr."


def price(amount: Decimal | int | float | None) -> str:
    """A price: 'Gratis' when nothing is to be paid, else as money()."""
    if amount is None:
        return ""
    return gettext("Free") if Decimal(str(amount)) == 0 else money(amount)


# The one long form for dates people read, per language (ISO only in exports).
LONG_DATE = {"da": "d. MMMM y", "en": "d MMMM y"}
DATE_TIME = {"da": "d. MMMM y 'kl.' HH:mm", "en": "d MMMM y, HH:mm"}


def _pattern(patterns: dict[str, str]) -> str:
    return patterns.get(str(get_locale()), patterns["da"])


def long_date(value: date | datetime | None) -> str:
    """'7. april 2027' in Danish, '7 April 2027' in English."""
    return format_date(value, format=_pattern(LONG_DATE)) if value else ""


def date_time(value: datetime | None) -> str:
    """'7. december 2026 kl. 09:00' in Danish, '7 December 2026, 09:00' in English."""
    return format_datetime(value, format=_pattern(DATE_TIME)) if value else ""


def clock(value: datetime | None) -> str:
    return format_time(value, format="HH:mm") if value else ""


def url_with(**changes) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    args = request.args.to_dict(flat=True)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(args)
    return f"{request.path}?{query}" if query else request.path


def _translations():
    """Flask-Babel's catalogue for the language in force, found once a request.

    Its own lookup (context, domain, locale, the locale's name as the cache
    key) cost ~10 µs for each of the 20-40 texts of the page frame; here it is
    kept on `g` with the locale it was found for, so force_locale (a mail to
    someone who reads English) gets its own and the page's comes back after.
    """
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get("_translations_kept")
    if kept is None or kept[0] is not locale:
        kept = g._translations_kept = (locale, get_translations())
    return kept[1]


def init_app(app: Flask) -> None:
    # In place of Flask-Babel's callables (the same calls, the catalogue kept).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters.update(
        money=money,
        price=price,
        long_date=long_date,
        # One date format for people: the old short filter name reads the same.
        short_date=long_date,
        date_time=date_time,
        clock=clock,
        number=format_decimal,
    )
    app.jinja_env.globals.update(
        url_with=url_with,
        get_locale=get_locale,
        can_administer=can_administer,
        can_view_person=can_view_person,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
