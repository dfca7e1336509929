"""deploy/nginx/kompetence.conf as nginx runs it (README "Drift"): its ports,
certificate and paths moved into a temporary folder, the application replaced by
a small server that answers with the headers it was sent. Static files come from
disk with a year's immutable cache when the address names their version and a
week otherwise; the rest reaches the application with the forwarded headers the
app believes (PROXIES=1); plain HTTP is sent to HTTPS; in front of production's
gunicorn, a slow client holds no worker. Skipped where nginx is not installed
(Debian: apt-get install nginx-light)."""

import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.gunicorn import serving

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "kompetence.conf"
NGINX = shutil.which("nginx") or (
    "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server protocol)
        body = json.dumps(dict(self.headers)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _moved(site: str, folder: Path, ports: dict[str, int]) -> str:
    """The site file with its machine-specific parts pointed at the test's."""
    replacements = {
        "/etc/ssl/kompetence/": f"{folder}/",
        "/srv/kompetence/static/": f"{ROOT / 'static'}/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports['app']};",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl": f"listen 127.0.0.1:{ports['https']} ssl",
    }
    for old, new in replacements.items():
        assert old in site, f"the site file no longer has {old!r}"
        site = site.replace(old, new)
    return site


@contextmanager
def _nginx_in_front_of(app_port: int, folder: Path) -> Iterator[dict[str, int]]:
    """nginx running the site file, forwarding to `app_port`; yields its ports."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=kompetence.example.dk"]
        + ["-keyout", str(folder / "privkey.pem")]
        + ["-out", str(folder / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    ports = {"app": app_port, "http": _free_port(), "https": _free_port()}
    (folder / "site.conf").write_text(
        _moved(SITE.read_text(encoding="utf-8"), folder, ports), encoding="utf-8"
    )
    temp = "".join(
        f"{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events {}\n"
        "http {\n"
        "include /etc/nginx/mime.types;\n"
        f"{temp}"
        f"include {folder / 'site.conf'};\n"
        "}\n",
        encoding="utf-8",
    )
    command = [NGINX, "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", ports["https"]), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield ports
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    app = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    with _nginx_in_front_of(app.server_port, tmp_path_factory.mktemp("nginx")) as ports:
        yield ports
    app.shutdown()
    app.server_close()


def _get(url: str):
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=_untrusted_tls()), NoRedirect()
    )
    try:
        return opener.open(url, timeout=10)
    except urllib.error.HTTPError as answer:
        return answer


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_versioned_static_file_is_kept_a_year_and_others_a_week(nginx):
    base = f"https://127.0.0.1:{nginx['https']}"
    sheet = (ROOT / "static" / "css" / "app.css").read_bytes()

    with _get(f"{base}/static/css/app.css?v=0123456789ab") as versioned:
        assert versioned.status == 200
        assert versioned.read() == sheet
        cache = versioned.headers.get_all("Cache-Control")
    with _get(f"{base}/static/favicon.svg") as plain:
        assert plain.status == 200
        plain_cache = plain.headers.get_all("Cache-Control")
    with _get(f"{base}/static/findes-ikke.css") as missing:
        assert missing.status == 404

    assert "max-age=31536000" in cache
    assert "public, immutable" in cache
    assert "max-age=604800" in plain_cache
    assert "public" in plain_cache
    assert not any("immutable" in value for value in plain_cache)


def test_pages_reach_the_app_with_forwarded_headers_and_http_goes_to_https(nginx):
    with _get(f"https://127.0.0.1:{nginx['https']}/kurser?side=2") as page:
        sent = json.loads(page.read())
    with _get(f"http://127.0.0.1:{nginx['http']}/kurser") as plain:
        assert plain.status == 301
        location = plain.headers["Location"]

    assert sent["X-Forwarded-Proto"] == "https"
    assert sent["X-Forwarded-For"] == "127.0.0.1"
    assert sent["X-Forwarded-Host"] == "127.0.0.1"
    assert location == "https://127.0.0.1/kurser"


def _untrusted_tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def test_a_slow_client_does_not_hold_the_only_worker(app, database_url, tmp_path):
    """Production's gunicorn serves one request at a time per worker (the sync
    worker), so nginx must read a request whole before passing it on: someone
    on a slow line, still sending a form, must not keep the only worker from
    answering everyone else."""
    with (
        serving(database_url, tmp_path, workers=1, threads=1) as (base,),
        _nginx_in_front_of(int(base.rsplit(":", 1)[1]), tmp_path) as ports,
    ):
        raw = socket.create_connection(("127.0.0.1", ports["https"]), timeout=10)
        slow = _untrusted_tls().wrap_socket(raw, server_hostname="127.0.0.1")
        try:
            slow.sendall(
                b"POST /log-ind HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 1000\r\n\r\nemail=langsom%40example.dk"
            )
            # Without nginx's buffering the worker would wait for the rest of
            # the form until gunicorn's timeout (60 s), past this 10 s answer.
            with _get(f"https://127.0.0.1:{ports['https']}/healthz") as page:
                assert page.status == 200
        finally:
            slow.close()
