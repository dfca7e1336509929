"""Single sign-on is set up from the environment, and unsafe or unusable settings
stop the app at start, with a message that says what to write instead."""

import pytest

from core.config import ConfigError
from wsgi import create_app

ISSUER = "https://login.kommune.example/realms/jobcenter"


@pytest.fixture
def environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("OIDC_ISSUER", ISSUER + "/")
    monkeypatch.setenv("OIDC_CLIENT_ID", "kompetence")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "s3cret")
    return monkeypatch


def test_the_settings_come_from_the_environment(environment):
    environment.setenv("OIDC_GROUPS_CLAIM", "roles")
    environment.setenv(
        "OIDC_GROUP_ROLES", '{"JC-Ledere": ["manager"], "JC-Admin": "admin"}'
    )
    environment.setenv("OIDC_GROUP_UNITS", '{"JC-Nord": "Region/Jobcenter/Team Nord"}')
    environment.setenv("OIDC_CREATE_USERS", "true")
    environment.setenv("PASSWORD_LOGIN", "false")
    config = create_app().config
    assert config["OIDC_ISSUER"] == ISSUER
    assert config["OIDC_GROUPS_CLAIM"] == "roles"
    assert config["OIDC_GROUP_ROLES"] == {
        "JC-Ledere": ["manager"],
        "JC-Admin": ["admin"],
    }
    assert config["OIDC_GROUP_UNITS"] == {"JC-Nord": "Region/Jobcenter/Team Nord"}
    assert config["OIDC_CREATE_USERS"] is True
    assert config["PASSWORD_LOGIN"] is False


def test_without_an_issuer_single_sign_on_is_off(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    app = create_app({"OIDC_ISSUER": ""})
    assert "Log ind med din organisations konto" not in app.test_client().get(
        "/log-ind"
    ).get_data(as_text=True)
    assert app.test_client().get("/log-ind/organisation").status_code == 404


@pytest.mark.parametrize(
    ("setting", "value", "complaint"),
    [
        ("OIDC_CLIENT_SECRET", "", "OIDC_CLIENT_SECRET"),
        ("OIDC_SCOPES", "email profile", "must include openid"),
        ("OIDC_GROUP_ROLES", '{"JC-Ledere": ["chef"]}', "unknown roles"),
        ("OIDC_GROUP_ROLES", '["manager"]', "JSON object"),
        ("OIDC_GROUP_ROLES", "{manager", "JSON object"),
        ("OIDC_GROUP_UNITS", '{"JC-Nord": ""}', "write its path"),
    ],
)
def test_unusable_settings_stop_the_app(environment, setting, value, complaint):
    environment.setenv(setting, value)
    with pytest.raises(ConfigError, match=complaint):
        create_app()


def test_no_password_and_no_provider_would_lock_everyone_out(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("PASSWORD_LOGIN", "false")
    with pytest.raises(ConfigError, match="no one could sign in"):
        create_app({"OIDC_ISSUER": ""})


def test_production_talks_to_the_provider_over_https_only(environment):
    environment.setenv("FLASK_ENV_MODE", "production")
    environment.setenv("SECRET_KEY", "x" * 40)
    environment.setenv("OIDC_ISSUER", "http://login.kommune.example")
    with pytest.raises(ConfigError, match="https://"):
        create_app()
