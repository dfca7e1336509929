"""The heat map's colours keep the numbers readable: WCAG AA contrast of 4.5:1."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[3] / "static" / "css" / "learning.css"
RULE = re.compile(
    r"\.(heat-[\w-]+)\s*\{\s*background-color:\s*(#[0-9a-f]{6});\s*color:\s*(#[0-9a-f]{6});"
)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


RULES = RULE.findall(CSS.read_text(encoding="utf-8"))


def test_every_gap_size_has_a_colour():
    assert {name for name, _bg, _fg in RULES} >= {f"heat-{n}" for n in range(5)} | {
        "heat-none"
    }


@pytest.mark.parametrize(("name", "background", "text"), RULES)
def test_heat_colours_meet_wcag_aa(name, background, text):
    assert contrast(background, text) >= 4.5, name
