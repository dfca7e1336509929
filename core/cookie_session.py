"""The signed session cookie, with its serializer built once per key (issue 19).

A py-spy profile of the empty signed-in page (/bench/floor, in-process, SQLite)
put about 5% of the page in Flask building the cookie's serializer anew for
every request (the key list, the serializer, its signer's settings), before it
checked one signature. The serializer holds nothing from a request, so one per
secret key serves them all; a changed SECRET_KEY or SECRET_KEY_FALLBACKS (tests
change them) builds a new one, so the cache can miss nothing.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session; the serializer kept per key list."""

    def __init__(self) -> None:
        self._kept: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._kept.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if len(self._kept) > 8:  # keys changed many times: start again
                self._kept.clear()
            self._kept[keys] = serializer
        return serializer
