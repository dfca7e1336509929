"""Template filters and globals: Danish dates and numbers, money, safe links, the
signed-in menus, and the translation catalogue kept for the request."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale
from babel import dates as babel_dates
from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    render_template,
    request,
)
from flask.templating import Environment
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_timezone,
    get_translations,
    gettext,
)
from jinja2 import pass_context
from markupsafe import Markup, escape

from core.extensions import current_locale, reading_english
from core.people.permissions import can_administer, can_view_person
from core.registry import NavItem, registry


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


# Dates and times people read (issue 19): a cProfile of the course page on the
# national dataset put a fifth of its time in ~100 dates and ~50 clock times,
# nearly all of it Flask-Babel finding the locale and time zone again for each
# (and Babel parsing the pattern). Here the day (or the hour and minute) in the
# reader's time zone is worked out as Flask-Babel does, and its text kept per
# (day, pattern, locale): a pure function of those, so nothing kept can be
# stale; the bound only limits memory (about 20 years of days in two languages).
KEPT_TEXTS = 16_384


@lru_cache(maxsize=KEPT_TEXTS)
def _day_text(day: date, pattern: str, locale: Locale) -> str:
    return babel_dates.format_date(day, pattern, locale=locale)


@lru_cache(maxsize=KEPT_TEXTS)
def _minute_text(moment: datetime, pattern: str, locale: Locale) -> str:
    return babel_dates.format_datetime(moment, pattern, tzinfo=None, locale=locale)


def _in_user_zone(value: datetime) -> datetime:
    """As flask_babel.to_user_timezone: naive datetimes are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(get_timezone())


def long_date(value: date | datetime | None) -> str:
    """'7. april 2027' in Danish, '7 April 2027' in English."""
    if not value:
        return ""
    locale = current_locale()
    if locale is None:  # outside a request: Flask-Babel's own answer
        return format_date(value, format=LONG_DATE["da"])
    day = _in_user_zone(value).date() if isinstance(value, datetime) else value
    return _day_text(day, LONG_DATE.get(str(locale), LONG_DATE["da"]), locale)


def _minute(value: datetime, patterns: dict[str, str]) -> str:
    locale = current_locale()
    if locale is None:
        return format_datetime(value, format=patterns["da"])
    local = _in_user_zone(value).replace(second=0, microsecond=0, tzinfo=None)
    return _minute_text(local, patterns.get(str(locale), patterns["da"]), locale)


def date_time(value: datetime | None) -> str:
    """'7. december 2026 kl. 09:00' in Danish, '7 December 2026, 09:00' in English."""
    return _minute(value, DATE_TIME) if value else ""


# Labels of enums (lazy_gettext texts in a module's dict, issue 19): the profile
# page draws ~200 a request, each through Flask-Babel's full lookup. Each text is
# translated once per process and language: the catalogues do not change while
# the process runs (a release restarts it), so nothing kept can be stale.
_KEPT_LABELS: dict[tuple, str] = {}


def kept_label(labels: dict, key) -> str:
    """str(labels[key]) in the language in force, for a module-level dict of
    lazy_gettext texts (kept by the dict's identity, which lives as long as
    the process)."""
    locale = current_locale()
    if locale is None:  # outside a request: no language to keep it under
        return str(labels[key])
    # The catalogues are per language (da, en): its name is all the key needs,
    # and cheaper than str(locale), which builds the identifier each time.
    entry = (id(labels), key, locale.language)
    text = _KEPT_LABELS.get(entry)
    if text is None:
        text = _KEPT_LABELS[entry] = str(labels[key])
    return text


def localised(item) -> str:
    """A framework item's or category's title in the reader's language: its English
    title on English pages when it has one, else the (Danish) title it has."""
    if getattr(item, "title_en", "") and reading_english():
        return item.title_en
    return item.title


CLOCK = {"da": "HH:mm"}


def clock(value: datetime | None) -> str:
    """'09:00' in the reader's time zone."""
    return _minute(value, CLOCK) if value else ""


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


# --- the signed-in menus (issue 19) ---------------------------------------------
# Profiling the empty signed-in page showed the layout, not the data, as the main
# cost: the menu was built twice per page (the mobile drawer and the main menu),
# each time asking every package's predicate again, building each link with
# url_for and translating each lazy label, about 60 url_for calls and 40
# translations a page.
#
# Here the predicates run once per request; the markup of the two menus is a pure
# function of which items they allow, the page's endpoint, the language and the
# address the app is mounted at, so it is rendered once per combination and kept
# in the process (a bounded number: languages x menu endpoints x role mixes). The
# kept markup holds no data read from the database, only labels and addresses
# from the code, so it cannot show a stale permission: who may see which link is
# decided anew on every request, and a revoked role loses its links on the next
# request. Only a change to the code or the translations (a restart in any case)
# changes what is kept.

# Plenty for 2 languages x ~30 endpoints x the role mixes people hold; when full
# the older half goes (a rendering costs a millisecond, nothing breaks).
KEPT_MENUS = 2048
MENU_TEMPLATE = "_frame/navigation.html"
DASHBOARD = "core.dashboard"


def allowed_items(user) -> tuple[NavItem, ...]:
    """The menu items `user` may see, decided once per request."""
    items = g.get("_menu_items")
    if items is None or g.get("_menu_user") is not user:
        items = tuple(item for item in registry().nav if item.allowed(user))
        g._menu_items, g._menu_user = items, user
    return items


def navigation(user) -> Markup:
    """The mobile drawer and the main menu for `user`, current page marked."""
    items = allowed_items(user)
    endpoints = {item.endpoint for item in items}
    here = request.endpoint if request.endpoint in endpoints | {DASHBOARD} else None
    # The drawer's password link is there only while passwords are on (in
    # _frame_key).
    key = (*_frame_key(), here, tuple(item.endpoint for item in items))
    kept = current_app.extensions["kompetence_menus"]
    markup = kept.get(key)
    if markup is None:
        markup = Markup(render_template(MENU_TEMPLATE, items=items, here=here))
        _keep(kept, key, markup, KEPT_MENUS)
    return markup


def _keep(kept: dict, key, markup: Markup, limit: int) -> Markup:
    """Keep `markup` under `key`; when full, the older half goes."""
    if len(kept) >= limit:
        for old in list(kept)[: limit // 2]:
            kept.pop(old, None)
    kept[key] = markup
    return markup


# --- the layout's fixed parts (issue 19) -----------------------------------------
# Profiling the empty signed-in page after the kept menu (py-spy, in-process and
# under gunicorn) put a third of the layout's cost in its ~12 texts and ~13
# url_for calls, nearly all of them fixed: the head's links, the site name, the
# account links and the footer. base.html wraps those parts in
# {% call kept_part("name") %}: each is rendered once per part, language, address
# the app is mounted at and sign-in setting, and kept in the process. A kept part
# holds only texts, addresses and settings from the code and its configuration,
# nothing read from the database or the request, so it cannot go stale while the
# process runs; a release (new code, new translations) restarts the process.
# Whatever a part reads that is not in its key must be passed to kept_part, or
# the part shows the first value it was rendered with.
#
# A part may also hold what changes with each request, as holes filled each time
# (issue 19: the signed-in header, ~40% of the empty signed-in page's rendering
# in a cProfile of /bench/floor, was its texts, addresses and tests drawn anew
# around five values): {% call(hole) kept_part("name", token=..., name=...) %}
# with {{ hole("token") }} where the value goes. The part is rendered once with
# marks in the holes and kept in pieces; each request joins the pieces with its
# own values, escaped as the template would have (Markup stays as it is).
KEPT_PARTS = 256
_HOLE = re.compile("\x00([a-z_]+)\x00")


def _hole(name: str) -> Markup:
    return Markup(f"\x00{name}\x00")


def _frame_key() -> tuple[str, str, bool]:
    """What every kept part of the frame varies with: the language, the address
    the app is mounted at and whether passwords are on; worked out once a
    request (for each language in force: force_locale gets its own)."""
    locale = current_locale()
    kept = g.get("_frame_key")
    if kept is None or kept[0] is not locale:
        config = current_app.config
        key = (str(locale), request.script_root, bool(config["PASSWORD_LOGIN"]))
        kept = g._frame_key = (locale, key)
    return kept[1]


def kept_part(part: str, /, *varying, caller, **holes) -> Markup:
    """The markup of a fixed part of the layout, rendered the first time only,
    with this request's `holes` filled in."""
    key = (part, varying, *_frame_key())
    kept = current_app.extensions["kompetence_parts"]
    pieces = kept.get(key)
    if pieces is None:
        marked = str(caller(_hole) if holes else caller())
        pieces = _keep(kept, key, tuple(_HOLE.split(marked)), KEPT_PARTS)
    if len(pieces) == 1:
        return Markup(pieces[0])
    filled = list(pieces)
    filled[1::2] = [escape(holes[hole]) for hole in pieces[1::2]]
    return Markup("".join(filled))


def unread_mark(unread: int) -> Markup:
    """' (3 unread)' after the notifications link, the word for screen readers."""
    if not unread:
        return Markup()
    word = gettext("unread")
    return Markup(' ({}<span class="sr-only"> {}</span>)').format(unread, word)


def _language_kept() -> tuple:
    """(locale, Flask-Babel's catalogue, the templates' kept texts) for the
    language in force, found once a request.

    The catalogue's own lookup (context, domain, locale, the locale's name as
    the cache key) cost ~10 µs for each of the 20-40 texts of the page frame;
    here it is kept on `g` with the locale it was found for, so force_locale (a
    mail to someone who reads English) gets its own and the page's comes back
    after. Needs an application context.
    """
    locale = current_locale()
    kept = g.get("_language_kept")
    if kept is None or kept[0] is not locale:
        texts = current_app.extensions["kompetence_texts"].setdefault(str(locale), {})
        kept = g._language_kept = (locale, get_translations(), texts)
    return kept


def _translations():
    """Flask-Babel's catalogue for the language in force (_language_kept)."""
    return _language_kept()[1] if has_app_context() else get_translations()


# The templates' texts (issue 19). Jinja's i18n wrapping took 6.3 us for each
# {{ _("...") }} (timeit, 200 in a loop): two calls through the context, the
# catalogue found, the text made Markup and formatted with no values. The
# approval inbox draws ~200 a request, 1.3 ms of its 9. A text without values is
# the same for everyone in a language, so it is kept once per process and
# language, as Jinja would have made it (escaped: Markup, "%%" read as "%");
# one with values is formatted for each call, the values escaped. Templates give
# `_` literal texts only, so what is kept is bounded by the templates' texts
# (tests/core/test_templating.py checks).


@pass_context
def _text(context, message: str, /, **values):
    """The newstyle gettext Jinja's i18n extension installs, with the texts
    without values kept."""
    if not context.eval_ctx.autoescape:  # plain-text templates (mail bodies)
        return _translations().ugettext(message) % values
    if values or not has_app_context():
        return Markup(_translations().ugettext(message)) % values
    _locale, catalogue, texts = _language_kept()
    text = texts.get(message)
    if text is None:
        text = texts[message] = Markup(catalogue.ugettext(message)) % {}
    return text


class SharedGlobalsEnvironment(Environment):
    """Flask's template environment, with the templates reading the app's
    globals themselves rather than a ChainMap in front of them (issue 19).

    Every render builds its context from the template's globals, and Jinja's
    ChainMap (the template's own globals before the environment's) is copied
    key by key in Python: with the ~70 globals the areas register, 30-70 us a
    render (timeit, load 8), ~5% of the empty signed-in page; the dict itself
    copies in about 1 us. A template has globals of its own only when they
    are passed to get_template, which nothing here does: a template loaded
    without them reads the app's dict, so a global added later is seen as
    before, and passing globals is refused rather than written into the app's.
    core.bootstrap makes the app build it (Flask.jinja_environment)."""

    def make_globals(self, d):
        return self.globals if not d else super().make_globals(d)

    def get_template(self, name, parent=None, globals=None):
        _no_own_globals(globals)
        return super().get_template(name, parent)

    def select_template(self, names, parent=None, globals=None):
        _no_own_globals(globals)
        return super().select_template(names, parent)


def _no_own_globals(globals) -> None:
    if globals:
        raise TypeError("templates read the app's globals: pass values to render")


def init_app(app: Flask) -> None:
    app.extensions["kompetence_menus"] = {}
    app.extensions["kompetence_parts"] = {}
    app.extensions["kompetence_texts"] = {}
    # In place of Flask-Babel's callables (the same calls, the catalogue kept);
    # gettext and its alias `_` are then replaced by _text, which keeps texts.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _text
    app.jinja_env.filters.update(
        money=money,
        price=price,
        long_date=long_date,
        # One date format for people: the old short filter name reads the same.
        short_date=long_date,
        date_time=date_time,
        clock=clock,
        number=format_decimal,
        localised=localised,
    )
    app.jinja_env.globals.update(
        url_with=url_with,
        get_locale=current_locale,
        can_administer=can_administer,
        can_view_person=can_view_person,
        navigation=navigation,
        kept_part=kept_part,
        unread_mark=unread_mark,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
