"""An Atom feed (RFC 4287) of an area's published items, written with the
standard library's XML writer, so every text is escaped. Pure: no Flask, no
database; the view gives it the addresses."""

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str  # a tag: URI, stable for the item
    title: str
    link: str
    summary: str
    author: str
    published: datetime
    updated: datetime
    categories: tuple[str, ...] = ()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def feed(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    page: str,
    self_link: str,
    updated: datetime,
    entries: list[Entry],
) -> bytes:
    """The feed as UTF-8 XML."""
    root = ET.Element("feed", {"xmlns": NS, "xml:lang": "da"})
    _text(root, "id", feed_id)
    _text(root, "title", title)
    _text(root, "subtitle", subtitle)
    _text(root, "updated", _stamp(updated))
    ET.SubElement(root, "link", {"rel": "alternate", "href": page, "type": "text/html"})
    ET.SubElement(
        root, "link", {"rel": "self", "href": self_link, "type": "application/atom+xml"}
    )
    for item in entries:
        entry = ET.SubElement(root, "entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        ET.SubElement(entry, "link", {"rel": "alternate", "href": item.link})
        _text(entry, "published", _stamp(item.published))
        _text(entry, "updated", _stamp(item.updated))
        author = ET.SubElement(entry, "author")
        _text(author, "name", item.author)
        for category in item.categories:
            ET.SubElement(entry, "category", {"term": category})
        _text(entry, "summary", item.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
