"""The app's OpenID Connect client (Authlib), made from the settings once per app."""

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

NAME = "organisation"
# Seconds to wait for the provider (discovery, keys, token, userinfo).
TIMEOUT = 10


def register(app: Flask) -> None:
    config = app.config
    oauth = OAuth(app)
    oauth.register(
        NAME,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=config["OIDC_ISSUER"] + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": config["OIDC_SCOPES"],
            # PKCE: a stolen code is worthless without the verifier in the session.
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT,
        },
    )
    app.extensions["sso"] = oauth.create_client(NAME)


def client():
    return current_app.extensions["sso"]


def enabled() -> bool:
    return "sso" in current_app.extensions
