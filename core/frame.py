"""The signed-in page frame: the navigation every page draws around its content.

Profiling the empty signed-in page (issue 19) showed the layout, not the data,
as the main cost: the menu was built twice per page (the mobile drawer and the
main menu), each time asking every package's predicate again, building each
link with url_for and translating each lazy label, about 60 url_for calls and
40 translations a page.

Here the predicates run once per request; the markup of the two menus is a pure
function of which items they allow, the page's endpoint, the language and the
address the app is mounted at, so it is rendered once per combination and kept
in the process (a bounded number: languages x menu endpoints x role mixes).
The kept markup holds no data read from the database, only labels and
addresses from the code, so it can never show a stale permission: who may see
which link is decided anew on every request, and a revoked role loses its links
on the next request. Only a change to the code or the translations (a restart
in any case) changes what is kept.
"""

from flask import Flask, current_app, g, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from core.registry import NavItem, registry

# Plenty for 2 languages x ~30 endpoints x the role mixes people hold; when full
# the oldest half goes (a rendering costs a millisecond, nothing breaks).
KEPT = 2048
TEMPLATE = "_frame/navigation.html"
DASHBOARD = "core.dashboard"


def allowed_items(user) -> tuple[NavItem, ...]:
    """The menu items `user` may see, decided once per request."""
    items = g.get("_frame_nav")
    if items is None or g.get("_frame_nav_user") is not user:
        items = tuple(item for item in registry().nav if item.allowed(user))
        g._frame_nav, g._frame_nav_user = items, user
    return items


def navigation(user) -> Markup:
    """The mobile drawer and the main menu for `user`, current page marked."""
    items = allowed_items(user)
    endpoints = {item.endpoint for item in items}
    here = request.endpoint if request.endpoint in endpoints | {DASHBOARD} else None
    key = (
        str(get_locale()),
        request.script_root,
        here,
        tuple(item.endpoint for item in items),
    )
    kept = current_app.extensions["kompetence_frame"]
    markup = kept.get(key)
    if markup is None:
        markup = Markup(render_template(TEMPLATE, items=items, here=here))
        if len(kept) >= KEPT:
            for old in list(kept)[: KEPT // 2]:
                kept.pop(old, None)
        kept[key] = markup
    return markup


def init_app(app: Flask) -> None:
    app.extensions["kompetence_frame"] = {}
    app.jinja_env.globals["navigation"] = navigation
