"""Fixtures for the notification tests: a working mail server and one that is down."""

import socket

import pytest

from tests.core.notifications.smtp_server import SMTPServer


@pytest.fixture
def smtp(app, monkeypatch):
    with SMTPServer() as server:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
        yield server


@pytest.fixture
def smtp_down(app, monkeypatch):
    """SMTP settings pointing at a port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    return port


@pytest.fixture(autouse=True)
def _uses_the_app(app):
    """Every test here works on the app's database."""
