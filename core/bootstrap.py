"""Wire the kernel into an app: config, database, extensions, login, pages, CLI."""

from pathlib import Path

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    request,
    session,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from core import (
    api,
    audit_views,
    backup,
    cli,
    config,
    error_views,
    form_tokens,
    notifications,
    personal_data,
    scim,
    sso,
    static_files,
    templating,
)
from core.cookie_session import KeptSerializerSessionInterface
from core.db import (
    configure_engine,
    db,
    end_unwritten_transaction,
    reset_reads_only,
    set_reads_only,
)
from core.extensions import babel, csrf, login_manager, migrate
from core.people import admin_views, key_person_views, login, password_views, views
from core.people.demo import seed_people
from core.people.permissions import can_administer
from core.people.specialist_demo import seed_specialists
from core.people.specialists import can_overview_key_persons
from core.registry import NavItem, add_nav, add_seeder, nav_for

# Requests that only read: their SQLite transactions start deferred (core.db).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# What a page may load and run: only the app's own files. No inline script and no
# eval, so markup that slipped through escaping cannot run; no <style> element
# from the page either (CSS selectors can read a page out). A style attribute
# may set one element's look (the diploma bar's colours): it cannot select or
# load anything. Pages are never framed, forms post only here, and a <base>
# cannot redirect the page's relative links.
CONTENT_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    )
)


def content_policy(issuer: str) -> str:
    """CONTENT_POLICY; with single sign-on, the sign-out form may also go on to the
    organisation's provider (form-action covers where a form's answer redirects)."""
    if not issuer:
        return CONTENT_POLICY
    origin = "/".join(issuer.split("/", 3)[:3])
    return CONTENT_POLICY.replace("form-action 'self'", f"form-action 'self' {origin}")


# Production runs behind HTTPS only: browsers remember that for a year.
HSTS = "max-age=31536000; includeSubDomains"


def select_locale() -> str:
    """The language the person chose in this browser, else the one their account
    keeps, else Danish; outside a request (the CLI, mail sent after the response)
    there is no choice to read, so Danish (mails choose their reader's language)."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    wanted = session.get("language")
    # Only a signed-in session loads the account (a feed or a static file never).
    if wanted is None and session.get("_user_id") and current_user.is_authenticated:
        wanted = current_user.language
    if wanted in current_app.config["LANGUAGES"]:
        return wanted
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask, test_config: dict | None = None) -> None:
    # Before anything reads app.jinja_env (core.templating says why).
    app.jinja_environment = templating.SharedGlobalsEnvironment
    config.load(app, test_config)
    if app.config["PROXIES"]:
        hops = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.session_interface = KeptSerializerSessionInterface()
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(
        app, db, directory=str(app.config.get("MIGRATIONS_DIR", "migrations"))
    )
    csrf.init_app(app)
    api.init_app(app)
    catalogues = sorted(
        p for p in (Path(app.root_path) / "translations").glob("*") if p.is_dir()
    )
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", ";".join(str(p) for p in catalogues)
    )
    babel.init_app(app, locale_selector=select_locale)
    _init_login(app)
    error_views.init_app(app)
    templating.init_app(app)
    form_tokens.init_app(app)
    static_files.init_app(app)
    cli.init_app(app)
    backup.init_app(app)
    notifications.init_app(app)
    personal_data.init_app(app)
    sso.init_app(app)
    scim.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(password_views.blueprint())
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(key_person_views.bp, name_prefix="core")
    audit_views.init_app(app)
    app.jinja_env.globals["nav_for"] = nav_for
    add_nav(app, NavItem(_l("Users"), "admin.users", can_administer, order=900))
    add_nav(app, NavItem(_l("Organisation"), "admin.units", can_administer, order=910))
    add_nav(
        app,
        NavItem(
            _l("Key persons"),
            "core.key_persons.overview",
            can_overview_key_persons,
            order=800,
        ),
    )
    add_seeder(app, 10, seed_people)
    add_seeder(app, 12, seed_specialists)

    @app.before_request
    def _reads_only_for_safe_methods():
        g.reads_only_token = set_reads_only(request.method in SAFE_METHODS)

    @app.teardown_request
    def _end_reads_only(exc):
        token = g.pop("reads_only_token", None)
        if token is not None:
            if exc is None:
                end_unwritten_transaction()
            reset_reads_only(token)

    @app.before_request
    def _remember_the_address_reached():
        # Mails and feeds built during this request link here when BASE_URL is unset.
        g.address_reached = request.host_url

    @app.before_request
    def _refuse_nul_in_query():
        # No page means anything by a NUL byte, and PostgreSQL refuses it in text:
        # one clear 400 here instead of a check in every view that reads a filter.
        if any("\x00" in value for value in request.args.values()):
            abort(
                400,
                description=_("The address contains a character that is not allowed."),
            )

    hsts = app.config["ENV"] == "production"
    policy = content_policy(app.config["OIDC_ISSUER"])

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", policy)
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Read the cookie, not current_user: loading the user here would cost two
        # queries on every request, static files and feeds included.
        if request.endpoint != "static" and session.get("_user_id"):
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "core.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(login.load_login_session)
