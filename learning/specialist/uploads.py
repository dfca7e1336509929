"""Uploaded documents: the allowed types, each checked against the name and the
content, a safe name to offer them under, and the files themselves, kept under
a directory outside the web root with a random key for a name.

Our own sniffing, not libmagic: six types are allowed, each has a signature
that is simple to check exactly, and a .docx, .xlsx or .pptx is told from any
other zip (and from its macro-carrying cousins) only by looking inside it,
which libmagic does not do reliably. No system library is needed.
"""

import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

_OOXML = "application/vnd.openxmlformats-officedocument."


@dataclass(frozen=True)
class FileType:
    mimetype: str
    label: str  # what the reader is told it is


TYPES = {
    ".pdf": FileType("application/pdf", "PDF"),
    ".docx": FileType(_OOXML + "wordprocessingml.document", "Word"),
    ".xlsx": FileType(_OOXML + "spreadsheetml.sheet", "Excel"),
    ".pptx": FileType(_OOXML + "presentationml.presentation", "PowerPoint"),
    ".png": FileType("image/png", "PNG"),
    ".jpg": FileType("image/jpeg", "JPEG"),
    ".jpeg": FileType("image/jpeg", "JPEG"),
    ".txt": FileType("text/plain; charset=utf-8", "Tekst"),
    ".csv": FileType("text/csv; charset=utf-8", "CSV"),
}
# The part each Office container must hold, under its own folder.
_OOXML_MAIN = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
_PNG = b"\x89PNG\r\n\x1a\n"
_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|svg|\?xml|script|body|head)", re.I)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"*:<>?|/\\]+')
_KEY = re.compile(r"[A-Za-z0-9_-]{20,64}")
NAME_MAX = 200


class UploadError(ValueError):
    """Why an upload is refused: 'type' (not allowed), 'mismatch' (the content
    is not what the name says), 'empty' or 'too_large'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def safe_name(name: str) -> str:
    """The file's own name, without folders, control characters or characters
    that Windows refuses; at most 200 characters, the extension kept."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    name = _UNSAFE_NAME.sub("_", name.rsplit("/", 1)[-1]).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[: NAME_MAX - len(ext) - 1] + "." + ext
    return name[:NAME_MAX]


def extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return "." + ext.lower() if dot else ""


def check(name: str, data: bytes, *, max_bytes: int) -> FileType:
    """The type of an upload whose name and content agree; else UploadError."""
    kind = TYPES.get(extension(name))
    if kind is None:
        raise UploadError("type")
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large")
    if not _content_matches(extension(name), data):
        raise UploadError("mismatch")
    return kind


def _content_matches(ext: str, data: bytes) -> bool:
    if ext == ".pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    if ext == ".png":
        return data.startswith(_PNG) and data[12:16] == b"IHDR"
    if ext in (".jpg", ".jpeg"):
        return data.startswith(b"\xff\xd8\xff") and b"\xff\xd9" in data[-64:]
    if ext in _OOXML_MAIN:
        return _office(data, _OOXML_MAIN[ext])
    return _text(data)


def _office(data: bytes, main_part: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    # A macro project means a .docm/.xlsm/.pptm wearing the wrong name.
    macros = any(n.lower().endswith("vbaproject.bin") for n in names)
    return "[Content_Types].xml" in names and main_part in names and not macros


def _text(data: bytes) -> bool:
    """Readable text in UTF-8 (with or without BOM) or Windows-1252, as Danish
    Excel saves CSV; no control characters, and no HTML or SVG in disguise."""
    if _CONTROL.search(data) or _MARKUP.match(data.removeprefix(b"\xef\xbb\xbf")):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


# --- storage -----------------------------------------------------------------------


def store(directory: str, data: bytes, *, key: str = "") -> str:
    """Write `data` under `directory` (made on first use); returns its key, a
    random one unless `key` is given (the demo's files, written once)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    if key and (folder / key).is_file():
        return key
    key = key or secrets.token_urlsafe(24)
    temporary = folder / f".{key}.part"
    with open(temporary, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, folder / key)
    return key


def path_of(directory: str, key: str) -> Path | None:
    """Where the file with `key` is, or None for a key that names no file."""
    if not _KEY.fullmatch(key or ""):
        return None
    path = Path(directory) / key
    return path if path.is_file() else None


def discard(directory: str, key: str) -> None:
    """Remove a stored file (an upload whose change was not committed)."""
    path = path_of(directory, key)
    if path is not None:
        path.unlink(missing_ok=True)
