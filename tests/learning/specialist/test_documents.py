"""Documents: an upload is checked for type, size and content against its name
(a Danish message and nothing stored when it is refused), kept outside the web
root, and served with its type and as an attachment under its own name."""

import io
import zipfile

import pytest
import sqlalchemy as sa

from core.db import db
from learning.specialist.models import KnowledgeItem

pytestmark = pytest.mark.usefixtures("app")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17


def docx(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def post(client, knowledge, name: str, data: bytes):
    return client.post(
        "/specialomraader/eures/ny",
        data={
            "kind": "document",
            "title": "Tjekliste",
            "competence_ids": [str(knowledge.competences[0].id)],
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("name", "data", "mimetype"),
    [
        ("Vejledning om EURES – æøå.pdf", PDF, "application/pdf"),
        ("skema.docx", docx(), "application/vnd.openxmlformats-officedocument."),
        ("billede.png", PNG, "image/png"),
        ("liste.csv", "Navn;Beløb\r\nSøren;1.250,50\r\n".encode("cp1252"), "text/csv"),
    ],
)
def test_a_document_is_stored_and_served(
    client, login_as, knowledge, upload_dir, name, data, mimetype
):
    login_as(knowledge.people["key"])
    assert post(client, knowledge, name, data).status_code == 302
    item = db.session.scalar(sa.select(KnowledgeItem))
    stored = list(upload_dir.iterdir())
    assert [p.read_bytes() for p in stored] == [data]
    assert item.file_key == stored[0].name  # a random key, not the given name
    client.post(f"/specialomraader/viden/{item.id}/publish")
    login_as(knowledge.people["colleague"])
    answer = client.get(f"/specialomraader/viden/{item.id}/fil")
    assert answer.status_code == 200
    assert answer.data == data
    assert answer.headers["Content-Type"].startswith(mimetype)
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    if name.isascii():
        assert f"filename={name}" in disposition or f'filename="{name}"' in disposition
    else:
        assert "filename*=UTF-8''" in disposition
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "Den type fil kan ikke uploades."),
        ("side.html", b"<html><script>alert(1)</script></html>", "Den type fil"),
        ("billede.svg", b"<svg onload=alert(1)></svg>", "Den type fil"),
        ("falsk.pdf", b"<html><script>alert(1)</script></html>", "passer ikke"),
        ("falsk.png", PDF, "passer ikke"),
        ("makro.docx", docx(macros=True), "passer ikke"),
        ("zip.docx", b"PK\x03\x04not really a zip", "passer ikke"),
        ("noter.txt", b"<!DOCTYPE html><script>alert(1)</script>", "passer ikke"),
        ("binaer.txt", b"\x00\x01\x02\x03", "passer ikke"),
        ("tom.pdf", b"", "Filen er tom."),
    ],
)
def test_a_bad_upload_is_refused_in_danish_and_not_stored(
    client, login_as, knowledge, upload_dir, name, data, message
):
    login_as(knowledge.people["key"])
    answer = post(client, knowledge, name, data)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeItem.id))) == 0
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_a_file_too_large_is_refused(client, login_as, knowledge, upload_dir, app):
    app.config["SPECIALIST_UPLOAD_MAX_BYTES"] = len(PDF) - 1
    try:
        login_as(knowledge.people["key"])
        answer = post(client, knowledge, "stor.pdf", PDF)
    finally:
        app.config["SPECIALIST_UPLOAD_MAX_BYTES"] = 10_000_000
    assert answer.status_code == 400
    assert "Filen er større end 0 MB." in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeItem.id))) == 0
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_a_draft_document_is_not_served_to_others(
    client, login_as, knowledge, upload_dir
):
    login_as(knowledge.people["key"])
    post(client, knowledge, "udkast.pdf", PDF)
    item = db.session.scalar(sa.select(KnowledgeItem))
    assert client.get(f"/specialomraader/viden/{item.id}/fil").status_code == 200
    login_as(knowledge.people["colleague"])
    assert client.get(f"/specialomraader/viden/{item.id}/fil").status_code == 403


def test_a_replaced_document_is_removed(client, login_as, knowledge, upload_dir):
    login_as(knowledge.people["key"])
    post(client, knowledge, "første.pdf", PDF)
    item = db.session.scalar(sa.select(KnowledgeItem))
    newer = PDF.replace(b"1.4", b"1.7")
    answer = client.post(
        f"/specialomraader/viden/{item.id}/ret",
        data={
            "title": "Tjekliste",
            "competence_ids": [str(knowledge.competences[0].id)],
            "file": (io.BytesIO(newer), "anden.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    assert [p.read_bytes() for p in upload_dir.iterdir()] == [newer]
