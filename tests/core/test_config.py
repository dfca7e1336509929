"""Configuration order and the production guard on the secret key."""

import pytest

from core.config import DEV_SECRET_KEY, ConfigError
from wsgi import create_app


def test_production_refuses_the_default_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_ENV_MODE", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": DEV_SECRET_KEY}
        )


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_ENV_MODE", "production")
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_with_a_real_key_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_ENV_MODE", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides_the_instance_file(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal/kompetence")
    monkeypatch.setenv("SMTP_PORT", "2525")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://u:p@db.internal/kompetence"
    )
    assert app.config["SMTP_PORT"] == 2525


def test_sqlite_connections_get_wal_foreign_keys_and_a_busy_timeout(app):
    from core.db import db

    with db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
