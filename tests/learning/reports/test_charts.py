"""The SVG pictures (learning/reports/charts.py): bars as long as their numbers,
labels escaped and shortened, an empty state, and colours with enough contrast."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from learning.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def _bars(svg: ET.Element) -> dict[str, float]:
    return {
        g.find(f"{SVG}title").text.rsplit(":", 1)[0]: float(
            g.find(f"{SVG}rect").get("width")
        )
        for g in svg.iter(f"{SVG}g")
    }


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str = "#ffffff") -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_bars_are_as_long_as_their_numbers(app):
    with app.test_request_context():
        svg = _parse(
            charts.bars(
                [("Lovgivning", 18), ("Etik", 6), ("Samtale", 3)],
                title="Gab",
                description="Vægtet gab",
                empty="Ingen",
            )
        )
    bars = _bars(svg)
    assert bars["Lovgivning"] == pytest.approx(3 * bars["Etik"], rel=0.02)
    assert bars["Etik"] == pytest.approx(2 * bars["Samtale"], rel=0.02)
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    assert [
        svg.find(f"{SVG}title").get("id"),
        svg.find(f"{SVG}desc").get("id"),
    ] == labelled


def test_numbers_are_written_the_danish_way(app):
    with app.test_request_context(headers={"Accept-Language": "da"}):
        markup = str(
            charts.months(
                ["jan", "feb"],
                [Decimal("12500.5"), Decimal("30000")],
                Decimal("250000"),
                title="Forbrug",
                description="Forbrug mod budget",
                empty="Intet",
            )
        )
    assert "250.000 kr." in markup
    assert "12.500,5 kr." in markup


def test_labels_are_escaped_and_long_ones_shortened(app):
    evil = '<script>alert("x")</script>' + "a" * 60
    with app.test_request_context():
        markup = str(charts.bars([(evil, 2)], title="<b>", description="d", empty="e"))
    assert "<script>" not in markup
    assert "<b>" not in markup
    svg = _parse(markup)
    shown = [t.text for t in svg.iter(f"{SVG}text")]
    assert any(text.endswith("…") and len(text) <= charts.LABEL_CHARS for text in shown)
    assert svg.find(f"{SVG}g/{SVG}title").text.startswith('<script>alert("x")')


def test_nothing_to_draw_says_so(app):
    with app.test_request_context():
        for markup in (
            charts.bars([], title="t", description="d", empty="Ingen vurderede gab."),
            charts.bars(
                [("a", 0)], title="t", description="d", empty="Ingen vurderede gab."
            ),
            charts.months(
                ["jan"],
                [Decimal(0)],
                None,
                title="t",
                description="d",
                empty="Ingen vurderede gab.",
            ),
        ):
            svg = _parse(markup)
            assert [t.text for t in svg.iter(f"{SVG}text")] == ["Ingen vurderede gab."]


def test_the_colours_meet_wcag_contrast():
    assert contrast(charts.BAR) >= 3  # graphics against the white page
    assert contrast(charts.LINE) >= 3
    assert contrast(charts.TEXT) >= 4.5  # text
    assert contrast(charts.GRID) >= 3


def test_no_style_attribute_or_script_reaches_the_page(app):
    with app.test_request_context():
        markup = str(charts.bars([("a", 1)], title="t", description="d", empty="e"))
        markup += str(
            charts.months(
                ["jan"],
                [Decimal(5)],
                Decimal(10),
                title="t",
                description="d",
                empty="e",
            )
        )
    assert "style=" not in markup
    assert "<script" not in markup
    assert not re.search(r"\son\w+=", markup)  # no event handlers
