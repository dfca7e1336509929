"""Configuration: defaults, instance/config.py, the environment, then checks."""

import json
import os
from datetime import timedelta
from pathlib import Path

from flask import Flask

DEV_SECRET_KEY = "dev-only-not-secret"

ENV_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_SENDER",
    "SMTP_USE_TLS",
    "BASE_URL",
    "OFFER_HOURS",
    "PROXIES",
    "PASSWORD_LOGIN",
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_SCOPES",
    "OIDC_GROUPS_CLAIM",
    "OIDC_GROUP_ROLES",
    "OIDC_GROUP_UNITS",
    "OIDC_CREATE_USERS",
)

# The roles a group may grant (core.people.models.Role's values; config cannot
# import the models, which need the app).
ROLE_NAMES = frozenset(
    {"employee", "manager", "coordinator", "provider_staff", "admin"}
)


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete."""


def defaults(instance_path: str) -> dict:
    """The settings the app runs with when nothing overrides them."""
    sqlite_file = Path(instance_path) / "kompetence.sqlite3"
    return {
        "ENV": "development",
        "SECRET_KEY": DEV_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{sqlite_file}",
        "SQLITE_BUSY_TIMEOUT_MS": 10_000,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        # Password links by e-mail: how long each works, and how many an account and
        # an address may ask for within LOGIN_FAILURE_WINDOW.
        "INVITATION_LIFETIME": timedelta(days=7),
        "PASSWORD_RESET_LIFETIME": timedelta(hours=1),
        "PASSWORD_RESET_MAX_PER_ACCOUNT": 3,
        "PASSWORD_RESET_MAX_PER_ADDRESS": 10,
        "BABEL_DEFAULT_LOCALE": "da",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
        "LANGUAGES": ("da", "en"),
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_SENDER": "kompetence@jobcenter.invalid",
        "SMTP_USE_TLS": False,
        # Empty: links in mails and feeds use the address the app was reached at.
        "BASE_URL": "",
        "OFFER_HOURS": 48,
        "PAGE_SIZE": 20,
        # How many reverse proxies stand in front of the app (nginx: 1). Their
        # X-Forwarded-For, -Proto and -Host are believed for that many hops, so
        # sign-in limits count the visitor's address, not the proxy's; 0 ignores
        # the headers, which anyone could send.
        "PROXIES": 0,
        # Retention, applied by `flask learning purge`: ratings and evidence older
        # than these go (the newest rating of each kind per person and competence
        # stays: it is the person's level), and older audit events keep who did
        # what and when, but lose their before/after and reason.
        "RATING_RETENTION": timedelta(days=5 * 365),
        "EVIDENCE_RETENTION": timedelta(days=5 * 365),
        "AUDIT_DETAIL_RETENTION": timedelta(days=3 * 365),
        # E-mail and password sign-in; off in production once single sign-on works.
        "PASSWORD_LOGIN": True,
        # Single sign-on through the organisation's OpenID provider; empty: off.
        "OIDC_ISSUER": "",
        "OIDC_CLIENT_ID": "",
        "OIDC_CLIENT_SECRET": "",
        "OIDC_SCOPES": "openid email profile",
        # The claim that lists the person's groups, and what each group gives:
        # roles ({"group": ["manager"]}), a team ({"group": "Region/Jobcentre/Team"}).
        "OIDC_GROUPS_CLAIM": "groups",
        "OIDC_GROUP_ROLES": {},
        "OIDC_GROUP_UNITS": {},
        # Create the account of a person the provider vouches for and no account
        # knows; off: only people an administrator or the directory created sign in.
        "OIDC_CREATE_USERS": False,
    }


def load(app: Flask, test_config: dict | None = None) -> None:
    """Fill app.config in the documented order and refuse unsafe production settings."""
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if key in os.environ:
            app.config[key] = os.environ[key]
    if os.environ.get("FLASK_ENV_MODE"):
        app.config["ENV"] = os.environ["FLASK_ENV_MODE"]
    if test_config:
        app.config.update(test_config)
    _normalise(app.config)
    validate(app.config)


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _mapping(name: str, value) -> dict:
    """A group mapping given as JSON text (the environment) or as a dict."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError as exc:
            raise ConfigError(f"{name} must be a JSON object: {exc}") from exc
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a JSON object of group names.")
    return value


def _normalise(config) -> None:
    config["SMTP_PORT"] = int(config["SMTP_PORT"])
    config["OFFER_HOURS"] = int(config["OFFER_HOURS"])
    config["PROXIES"] = int(config["PROXIES"])
    config["SMTP_USE_TLS"] = _flag(config["SMTP_USE_TLS"])
    config["PASSWORD_LOGIN"] = _flag(config["PASSWORD_LOGIN"])
    config["OIDC_CREATE_USERS"] = _flag(config["OIDC_CREATE_USERS"])
    config["OIDC_ISSUER"] = (config["OIDC_ISSUER"] or "").strip().rstrip("/")
    for name in ("OIDC_GROUP_ROLES", "OIDC_GROUP_UNITS"):
        config[name] = _mapping(name, config[name])
    config["OIDC_GROUP_ROLES"] = {
        group: [roles] if isinstance(roles, str) else list(roles)
        for group, roles in config["OIDC_GROUP_ROLES"].items()
    }
    url = config["DATABASE_URL"]
    # Heroku-style URLs name the old driver; psycopg 3 is the one we install.
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    config["SQLALCHEMY_DATABASE_URI"] = url
    if config["ENV"] == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True


def validate(config) -> None:
    """Single sign-on needs its client and known roles; production needs a real
    secret key and HTTPS to the provider; everything else has a safe default."""
    _validate_sign_on(config)
    if config["ENV"] != "production":
        return
    if config["OIDC_ISSUER"] and not config["OIDC_ISSUER"].startswith("https://"):
        raise ConfigError("OIDC_ISSUER must be an https:// address in production.")
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "in production (python -c 'import secrets; print(secrets.token_hex())')."
        )


def _validate_sign_on(config) -> None:
    if not config["OIDC_ISSUER"]:
        if not config["PASSWORD_LOGIN"]:
            raise ConfigError(
                "PASSWORD_LOGIN is off and OIDC_ISSUER is empty: no one could sign in."
            )
        return
    if not (config["OIDC_CLIENT_ID"] and config["OIDC_CLIENT_SECRET"]):
        raise ConfigError("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    if "openid" not in config["OIDC_SCOPES"].split():
        raise ConfigError("OIDC_SCOPES must include openid: no ID token without it.")
    for group, roles in config["OIDC_GROUP_ROLES"].items():
        unknown = set(roles) - ROLE_NAMES
        if unknown:
            raise ConfigError(
                f"OIDC_GROUP_ROLES gives group {group!r} unknown roles "
                f"{sorted(unknown)}; roles are {sorted(ROLE_NAMES)}."
            )
    for group, path in config["OIDC_GROUP_UNITS"].items():
        if not isinstance(path, str) or not path.strip("/ "):
            raise ConfigError(
                f"OIDC_GROUP_UNITS gives group {group!r} no team: write its path, "
                "as in 'Region Midtjylland/Jobcenter Aarhus/Team Nord'."
            )
