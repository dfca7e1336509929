"""The rich text of knowledge items, cleaned by an allow-list (nh3, the Python
binding of the Ammonia sanitiser): what is not listed here never reaches a
reader's browser. Pure: no Flask, no database."""

import html
import re

import nh3
from markupsafe import Markup

# No headings: an item's text sits under the page's own headings, and a heading
# typed into it would break their order for screen readers.
TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "code",
        "pre",
        "abbr",
    }
)
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with their content, not just unwrapped: their text is code, not prose.
DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}
)
_BLANK_LINES = re.compile(r"\n\s*\n")
_TAG = re.compile(r"<[a-zA-Z!/?]")


def clean(text: str) -> str:
    """`text` as safe HTML: plain text becomes paragraphs, HTML keeps only the
    allowed tags and attributes, and links get rel="noopener noreferrer"."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        text = "".join(
            "<p>" + html.escape(part.strip()).replace("\n", "<br>") + "</p>"
            for part in _BLANK_LINES.split(text)
            if part.strip()
        )
    return nh3.clean(
        text,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def render(stored: str) -> Markup:
    """Stored item text for a template: cleaned again on the way out, so a row
    written past the service (an import, a database edit) is no way in either."""
    return Markup(clean(stored))


def plain(stored: str) -> str:
    """The text of stored HTML without any markup (for the feed and mails)."""
    return html.unescape(nh3.clean(stored or "", tags=set())).strip()
