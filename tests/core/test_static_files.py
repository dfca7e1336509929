"""Static file addresses carry the file's version (`?v=`, from its contents), so
nginx may let browsers keep them for a year (README "Drift"): a changed file
gets a new address, the old one is never served stale."""

import hashlib
import os
import re
from pathlib import Path

from flask import url_for

ROOT = Path(__file__).resolve().parents[2]
STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _version_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_every_static_address_on_a_page_carries_its_files_version(client, login_as):
    login_as("employee")
    page = client.get("/").text
    addresses = STATIC.findall(page)

    assert f"/static/css/app.css?v={_version_of(ROOT / 'static/css/app.css')}" in page
    assert len(addresses) >= 3
    for address in addresses:
        path, _, query = address.partition("?")
        assert re.fullmatch(r"v=[0-9a-f]{12}", query), address
        file = ROOT / path.lstrip("/")
        assert query == f"v={_version_of(file)}", address
        answer = client.get(address)
        assert answer.status_code == 200, address
        assert answer.data == file.read_bytes()
        answer.close()


def test_a_missing_file_gets_no_version_and_answers_404(app, client):
    with app.test_request_context():
        address = url_for("static", filename="css/findes-ikke.css")
        outside = url_for("static", filename="../wsgi.py")

    assert address.endswith("/static/css/findes-ikke.css")
    assert "v=" not in outside
    assert client.get(address).status_code == 404


def test_a_changed_file_gets_a_new_address(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    sheet = tmp_path / "udskrift.css"
    sheet.write_text("body { color: black; }", encoding="utf-8")

    def address() -> str:
        with app.test_request_context():
            return url_for("static", filename="udskrift.css")

    kept = address()
    sheet.write_text("body { color: navy; } /* æøå */", encoding="utf-8")
    os.utime(sheet, (1, 1))
    # A worker keeps a file's version until it restarts (a release restarts it).
    assert address() == kept
    # In debug mode (development) an edited file gets its new version at once.
    monkeypatch.setattr(app, "debug", True)
    changed = address()
    assert changed != kept
    assert changed.endswith(f"?v={_version_of(sheet)}")
