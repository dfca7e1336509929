"""The English switch translates everything a person sees: every demo role opens
every GET route of the app (and the pages those link to) in English, and no
Danish is left on them but the data people typed (names, course titles).

Danish is found, not listed: the words of the Danish catalogues that no English
source string uses ('tilmelding', 'ikke', 'gem'), and any word with æ, ø or å.
What the database holds is data and may be Danish, except a title whose English
title is filled in: that one must show in English.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from core.db import db
from tests.routes import seed_demo, sign_in, urls_for
from tests.test_crawl import ROLES, PageAudit, local_path
from tests.test_get_reads_only import reachable

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
DANISH_LETTERS = re.compile("[æøåÆØÅ]")
TAG = re.compile(r"<[^>]*>")
MAX_LINKED = 150
MAX_POSTED = 100
# A piece of rendered text at least this long found in a stored text is data.
PIECE = 16
# Text people read outside the text of elements.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm")
SKIP_TAGS = ("script", "style", "template")
# Pages whose Danish is known and being fixed by someone else: what is left there
# is printed, not failed (prefix -> what and whose). Empty: every page is checked.
ENGLISH_DEBT: dict[str, str] = {}


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def danish_words() -> set[str]:
    """Words the Danish catalogues use and no English source string does."""
    danish, english = set(), set()
    for po in sorted(ROOT.glob("translations/*/da/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                texts = message.string
                texts = texts if isinstance(texts, tuple) else (texts,)
                for text in ids:
                    english |= _words(text or "")
                for text in texts:
                    danish |= _words(text or "")
    return {w for w in danish - english if len(w) > 1}


class Reading(HTMLParser):
    """The text of a page a person reads: element text and read attributes, but
    what is marked as Danish on purpose (lang="da", the switch back to Danish)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip: list[str] = []  # the open elements whose text is not read

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._skip and tag == self._skip[-1]:
            self._skip.append(tag)  # the same kind nested inside
        elif tag in SKIP_TAGS or a.get("lang", "en") != "en":
            self._skip.append(tag)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if self._skip:
            return
        self.texts += [a[n] for n in READ_ATTRIBUTES if a.get(n)]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(a["value"])

    def handle_endtag(self, tag):
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


class Stored:
    """Every text the database holds (data, which may be Danish), but titles that
    have an English title: the English page must show that one instead."""

    def __init__(self):
        found: set[str] = set()
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, sa.String)]
            if not columns:
                continue
            translated = "title_en" in table.columns
            for row in db.session.execute(sa.select(*columns)).mappings():
                for name, value in row.items():
                    if not isinstance(value, str) or not value:
                        continue
                    if translated and name == "title" and row["title_en"]:
                        continue
                    found.add(" ".join(value.split()))
                    # Lines, and the text between tags of what is kept as HTML.
                    pieces = TAG.sub("\n", html.unescape(value)).splitlines()
                    found.update(" ".join(piece.split()) for piece in pieces)
        db.session.rollback()
        self.values = sorted((t for t in found if len(t) > 1), key=len, reverse=True)
        # Rendered text (Markdown, a link inside a paragraph) is a piece of a value.
        self.blob = "\n".join(self.values)
        self.exact = set(self.values)
        self.seen: dict[str, str] = {}  # text -> what is left, for every page

    def danish_left(self, text: str, danish: set[str]) -> str:
        """The Danish words in `text` once the stored texts are taken out, or ''."""
        if text not in self.seen:
            self.seen[text] = self._left(text, danish)
        return self.seen[text]

    def _left(self, text: str, danish: set[str]) -> str:
        if not (_words(text) & danish or DANISH_LETTERS.search(text)):
            return ""
        if text in self.exact or (len(text) >= PIECE and text in self.blob):
            return ""
        for value in self.values:
            if value in text:
                text = text.replace(value, " ")
        left = {w for w in _words(text) if w in danish or DANISH_LETTERS.search(w)}
        return " ".join(sorted(left))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_english(app, client, role):
    demo = seed_demo(app)
    person = demo[role]
    urls = urls_for(app, reachable(person))
    danish, stored = danish_words(), Stored()
    person.language = "en"
    db.session.commit()
    sign_in(client, person)
    found: dict[str, set[str]] = {}
    forms: dict[str, list[str]] = {}

    def read(response, where: str) -> Reading:
        page = Reading()
        page.feed(response.text)
        assert 'lang="en"' in response.text, where
        for text in page.texts:
            left = stored.danish_left(text, danish)
            if left:
                found.setdefault(f"{text[:100]!r} ({left})", set()).add(where)
        return page

    queue, seen, linked = list(urls), set(urls), 0
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = read(response, url)
        audit = PageAudit()
        audit.feed(response.text)
        for action, names in audit.forms:
            forms.setdefault(local_path(action or url) or "", names)
        for href in page.links:
            target = local_path(href)
            if target and target not in seen and linked < MAX_LINKED:
                seen.add(target)
                linked += 1
                queue.append(target)
    # What a form answers when it is sent empty: the errors beside the fields, a
    # refusal, or the page it leads to with its message.
    for action in sorted(a for a in forms if a)[:MAX_POSTED]:
        data = {name: "" for name in forms[action] if name != "csrf_token"}
        response = client.post(action, data=data, follow_redirects=True)
        if response.mimetype == "text/html" and response.status_code < 500:
            # Named by the page shown: a refusal there, or where it led.
            landing = response.request.path
            read(response, landing if landing != action else f"{action} (POST)")
    debt = {
        text: where
        for text, where in found.items()
        if all(url.startswith(tuple(ENGLISH_DEBT)) for url in where)
    }
    for prefix, what in ENGLISH_DEBT.items():
        left = [t for t, where in debt.items() if min(where).startswith(prefix)]
        if left:
            print(f"English debt, {what} ({len(left)} texts), e.g. {left[0]}")
    report = sorted(
        f"{text} on {sorted(where)[:2]}"
        for text, where in found.items()
        if text not in debt
    )
    assert report == [], "\n".join(report)
    assert len(seen) > 20
