"""Configuration: defaults, instance/config.py, the environment, then checks."""

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


def _normalise(config) -> None:
    config["SMTP_PORT"] = int(config["SMTP_PORT"])
    config["OFFER_HOURS"] = int(config["OFFER_HOURS"])
    config["PROXIES"] = int(config["PROXIES"])
    if isinstance(config["SMTP_USE_TLS"], str):
        config["SMTP_USE_TLS"] = config["SMTP_USE_TLS"].lower() in {"1", "true", "yes"}
    url = config["DATABASE_URL"]
    # Heroku-style URLs name the old driver; psycopg 3 is the one we install.
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    config["SQLALCHEMY_DATABASE_URI"] = url
    if config["ENV"] == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True


def validate(config) -> None:
    """Production needs a real secret key; everything else has a safe default."""
    if config["ENV"] != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "in production (python -c 'import secrets; print(secrets.token_hex())')."
        )
