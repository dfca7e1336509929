"""Start the test OpenID provider (provider.mjs, the npm package oidc-provider) on
loopback, and sign in through its pages the way a browser would."""

import re
import select
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

SCRIPT = Path(__file__).with_name("provider.mjs")
ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "kompetence"
CLIENT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str

    def settings(self) -> dict:
        """The app's settings for this provider (core.config)."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_SCOPES": "openid email profile groups",
        }

    def spoil_next_id_token(self, *, tamper: bool = False, **claims) -> None:
        """Have the next ID token carry `claims` (exp and iat: seconds from now),
        signed again with the provider's published key, or with `tamper` its
        payload changed and the old signature kept."""
        response = requests.post(
            f"{self.issuer}/test/next-id-token",
            json={"tamper": tamper, "claims": claims},
            timeout=10,
        )
        response.raise_for_status()

    def sign_in(self, authorize_url: str, login: str, *, back_to: str) -> str:
        """Go through the provider's login and consent pages as `login`; the
        address the provider sends the browser back to (it starts with `back_to`)."""
        browser = requests.Session()
        url, form = authorize_url, None
        for _step in range(12):
            if form is None:
                response = browser.get(url, allow_redirects=False, timeout=10)
            else:
                response = browser.post(
                    url, data=form, allow_redirects=False, timeout=10
                )
            form = None
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if url.startswith(back_to):
                    return url
                continue
            assert response.status_code == 200, response.text[:500]
            url, form = _form(url, response.text)
            if "login" in form:
                form.update(login=login, password="any password")
        raise AssertionError("the provider never sent the browser back")


def _form(url: str, html: str) -> tuple[str, dict]:
    """The first form on the page: where it posts, and its fields."""
    action = re.search(r'<form[^>]*action="([^"]*)"', html)
    assert action, html[:500]
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input[^>]*name="([^"]+)"(?:[^>]*value="([^"]*)")?', html
        )
    }
    return urljoin(url, unescape(action.group(1))), fields


@contextmanager
def running_provider(
    redirect_uri: str, post_logout_uri: str, log: Path
) -> Iterator[Provider]:
    """The provider on a free loopback port, with one client that may send people
    back to `redirect_uri`, and after sign-out to `post_logout_uri`."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("node and node_modules/oidc-provider are needed: run `make assets`")
    port = free_port()
    with log.open("w") as errors:
        process = subprocess.Popen(
            [node, str(SCRIPT), str(port), redirect_uri, post_logout_uri],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            ready, _, _ = select.select([process.stdout], [], [], 30)
            line = process.stdout.readline() if ready else ""
            if not line.startswith("ready "):
                raise AssertionError(f"the provider did not start: {log.read_text()}")
            yield Provider(issuer=line.split()[1])
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()
