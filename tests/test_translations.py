"""Every English source string has a Danish translation in one of the catalogues."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [
    ("core/**.py", "python"),
    ("courses/**.py", "python"),
    ("learning/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
}


def source_strings() -> dict[str, str]:
    found = {}

    def skip_dirs(dirpath: str) -> bool:
        name = Path(dirpath).name
        return not name.startswith(".") and name not in ("node_modules", "vendor")

    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, directory_filter=skip_dirs
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def danish_translations() -> dict[str, bool]:
    translated = {}
    for po in sorted((ROOT / "translations").glob("*/da/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                text = message.string
                ok = all(text) if isinstance(text, tuple) else bool(text)
                if msgid:
                    translated[msgid] = translated.get(msgid, False) or (
                        ok and not message.fuzzy
                    )
    return translated


def test_every_source_string_is_translated_into_danish():
    translated = danish_translations()
    assert len(source_strings()) > 100  # the extraction really reads the project
    missing = sorted(
        f"{where}: {msgid!r}"
        for msgid, where in source_strings().items()
        if not translated.get(msgid)
    )
    assert missing == []
