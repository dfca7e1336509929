"""Every page a demo user can reach by following links answers without a server
error, and every HTML page meets the basics of accessibility: one h1, headings in
order, a label for every field, alternative text for images, a language."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from core.people.demo import DEMO_PASSWORD, load_demo_data

ROLES = ("employee", "manager", "coordinator", "provider", "admin", "keyperson")
MAX_PAGES = 250
SKIP_PREFIXES = ("/log-ud", "/static/", "/sprog/")
# Query strings a careless link or a curious person could send to any page.
GARBAGE_QUERIES = (
    "page=-1&per_page=100000",
    "page=abc&sort=%00&q=%00",
    "date_from=2026-13-45&date_to=0000-00-00&free=maybe",
    "q=" + "x" * 5000,
)


class PageAudit(HTMLParser):
    """Collects links, headings, fields and labels from one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.headings: list[int] = []
        self.field_ids: list[tuple[str, str]] = []
        self.unlabelled: list[str] = []
        self.label_for: set[str] = set()
        self.images_without_alt = 0
        self.lang = None
        self._label_depth = 0
        self.forms: list[tuple[str, list[str]]] = []  # (action, field names) of POSTs
        # What the Content-Security-Policy refuses to run, so a browser would not.
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            self.refused.append("an inline <script>")
        if tag == "style":
            self.refused.append("a <style> element")
        self.refused += [f"{tag} {name}=" for name in a if name.startswith("on")]
        if (a.get("href") or "").strip().lower().startswith("javascript:"):
            self.refused.append("a javascript: link")
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.forms.append((a.get("action") or "", []))
        if tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            self.forms[-1][1].append(a["name"])
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            kind = a.get("type", "text")
            if kind in ("hidden", "submit", "button", "reset", "image"):
                return
            if a.get("aria-label") or a.get("aria-labelledby") or self._label_depth:
                return
            if a.get("id"):
                self.field_ids.append((a["id"], a.get("name", "")))
            else:
                self.unlabelled.append(a.get("name", tag))
        elif tag == "img" and "alt" not in a:
            self.images_without_alt += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth = max(0, self._label_depth - 1)

    def problems(self) -> list[str]:
        found = []
        if self.lang not in ("da", "en"):
            found.append(f"html lang is {self.lang!r}")
        if self.headings.count(1) != 1:
            found.append(f"{self.headings.count(1)} h1 headings")
        for before, after in zip(self.headings, self.headings[1:], strict=False):
            if after > before + 1:
                found.append(f"heading h{after} follows h{before}")
        missing = [name for fid, name in self.field_ids if fid not in self.label_for]
        if missing or self.unlabelled:
            found.append(f"fields without a label: {missing + self.unlabelled}")
        if self.images_without_alt:
            found.append(f"{self.images_without_alt} images without alt")
        found += [f"the page policy refuses {what}" for what in self.refused]
        return found


# What a form may receive from a person, a browser extension or a replayed request.
GARBAGE_VALUES = (
    "",
    "-1",
    "x" * 5000,
    "9999-99-99",
    "<script>alert(1)</script>",
    "∞ ½ \x01",
)


def local_path(href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def demo_people():
    return {p["key"]: p for p in load_demo_data()["people"]}


@pytest.mark.parametrize("role", ROLES)
def test_every_linked_page_works_and_is_accessible(app, client, demo_people, role):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    response = client.post(
        "/log-ind",
        data={"email": demo_people[role]["email"], "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302

    seen, queue, failures = {"/"}, deque(["/"]), []
    forms: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        visited += 1
        response = client.get(path)
        if response.status_code >= 500 or response.status_code in (403, 404, 400):
            failures.append(f"{path}: {response.status_code}")
            continue
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        if "script-src 'self'" not in response.headers.get(
            "Content-Security-Policy", ""
        ):
            failures.append(f"{path}: no Content-Security-Policy")
        audit = PageAudit()
        audit.feed(response.text)
        failures.extend(f"{path}: {problem}" for problem in audit.problems())
        for action, names in audit.forms:
            forms.setdefault(local_path(action or path) or "", names)
        for href in audit.links:
            target = local_path(href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    assert failures == []
    assert visited > 3

    for path in sorted(seen)[:80]:
        for query in GARBAGE_QUERIES:
            joiner = "&" if "?" in path else "?"
            status = client.get(f"{path}{joiner}{query}").status_code
            if status >= 500:
                failures.append(f"{path}{joiner}{query[:40]}: {status}")
    assert failures == []

    posted = [action for action in sorted(forms) if action][:150]
    assert posted, "every role has forms to send"
    for action in posted:
        names = forms[action]
        for garbage in GARBAGE_VALUES:
            data = {name: garbage for name in names if name != "csrf_token"}
            status = client.post(action, data=data).status_code
            if status >= 500:
                failures.append(f"POST {action} with {garbage[:20]!r}: {status}")
    assert failures == []
