"""The SVG pictures (learning/reports/charts.py), read back with xml.etree as
a browser would read them: bars as long as their numbers, numbers written the
Danish way, labels escaped and long ones shortened with the whole name as a
tooltip, an empty state instead of an error, nothing the Content-Security-
Policy refuses, and colours with WCAG 2.1 AA contrast against the page."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from core.db import db
from core.people.advisers import set_adviser
from learning.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script>'


@pytest.fixture
def danish(app):
    with app.test_request_context(headers={"Accept-Language": "da"}):
        yield


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def _bars(svg: ET.Element) -> dict[str, float]:
    """Each bar's tooltip (without its number) and the bar's length."""
    return {
        g.find(f"{SVG}title").text.rsplit(":", 1)[0]: float(
            g.find(f"{SVG}rect").get("width")
        )
        for g in svg.iter(f"{SVG}g")
    }


def _texts(svg: ET.Element) -> list[str]:
    """What the eye reads: each text's own words, without its tooltip."""
    return [
        "".join(t.itertext()).removeprefix(_tooltip(t)) for t in svg.iter(f"{SVG}text")
    ]


def _tooltip(text: ET.Element) -> str:
    title = text.find(f"{SVG}title")
    return title.text if title is not None else ""


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str = charts.BACKGROUND) -> float:
    """WCAG 2.1's contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _side_by_side(groups, panels, title="Gab", empty="Ingen"):
    return charts.side_by_side(
        groups, panels, title=title, description="Vægtet gab", empty=empty
    )


def _months(spent, budget, labels=None, title="Forbrug", empty="Intet"):
    labels = labels or ["jan", "feb", "mar"][: len(spent)]
    return charts.months(
        labels, spent, budget, title=title, description="Mod budget", empty=empty
    )


def test_bars_are_as_long_as_their_numbers(danish):
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
    assert _texts(svg) == ["Lovgivning", "18", "Etik", "6", "Samtale", "3"]


def test_a_picture_is_named_by_its_title_and_described_by_its_desc(danish):
    for markup in (
        charts.bars([("a", 1)], title="Gab", description="Vægtet", empty="e"),
        _side_by_side(["Jobcenter A"], [("K1", [2])]),
        _months([Decimal(5)], Decimal(10)),
        charts.bars([], title="Gab", description="Vægtet", empty="Ingen"),
    ):
        svg = _parse(markup)
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text
        assert svg.get("aria-labelledby").split() == [
            svg.find(f"{SVG}title").get("id"),
            svg.find(f"{SVG}desc").get("id"),
        ]
        # It scales with the page: a viewBox and the column's whole width.
        assert svg.get("width") == "100%"
        assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))
    two = str(charts.bars([("a", 1)], title="t", description="d", empty="e")) + str(
        charts.bars([("a", 1)], title="t", description="d", empty="e")
    )
    ids = re.findall(r'id="([^"]+)"', two)
    assert len(ids) == len(set(ids)) == 4  # two pictures on a page keep apart


def test_jobcentres_side_by_side_share_one_scale(danish):
    svg = _parse(
        _side_by_side(
            ["Jobcenter Aarhus", "Jobcenter Ærø"],
            [("K1 Lovgivning", [12, 4]), ("K2 Etik", [6, 0])],
        )
    )
    bars = _bars(svg)
    assert set(bars) == {
        "Jobcenter Aarhus, K1 Lovgivning",
        "Jobcenter Ærø, K1 Lovgivning",
        "Jobcenter Aarhus, K2 Etik",
        "Jobcenter Ærø, K2 Etik",
    }
    # Down a column and across the columns, lengths follow the numbers.
    longest = bars["Jobcenter Aarhus, K1 Lovgivning"]
    assert bars["Jobcenter Ærø, K1 Lovgivning"] == pytest.approx(longest / 3, rel=0.02)
    assert bars["Jobcenter Aarhus, K2 Etik"] == pytest.approx(longest / 2, rel=0.02)
    assert bars["Jobcenter Ærø, K2 Etik"] == 0
    texts = _texts(svg)
    assert texts[:2] == ["Jobcenter Aarhus", "Jobcenter Ærø"]
    assert "K1 Lovgivning" in texts
    assert "K2 Etik" in texts
    assert [t for t in texts if t.isdigit()] == ["12", "4", "6", "0"]
    # Each column's bars start on their own axis, right of the one before.
    rects = list(svg.iter(f"{SVG}rect"))
    starts = sorted({float(r.get("x")) for r in rects})
    assert len(starts) == 2
    assert starts[0] >= charts.GROUP_WIDTH


def test_side_by_side_wants_a_number_per_group(danish):
    with pytest.raises(ValueError, match="K1"):
        _side_by_side(["A", "B"], [("K1", [1])])


def test_spend_by_month_against_the_budget(danish):
    svg = _parse(_months([Decimal("12500.5"), Decimal("25001"), 0], Decimal("250000")))
    columns = {
        g.find(f"{SVG}title").text: g.find(f"{SVG}rect") for g in svg.iter(f"{SVG}g")
    }
    # Danish kroner, as the month table beside the picture writes them.
    assert set(columns) == {
        "jan: 12.500,50 kr.",
        "feb: 25.001,00 kr.",
        "mar: 0,00 kr.",
    }
    heights = [float(r.get("height")) for r in columns.values()]
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.02)
    assert heights[2] == 0
    # Every column stands on the same baseline.
    assert (
        len({float(r.get("y")) + float(r.get("height")) for r in columns.values()}) == 1
    )
    budget = [
        line for line in svg.iter(f"{SVG}line") if line.get("stroke") == charts.LINE
    ]
    assert len(budget) == 1
    baseline = float(next(iter(columns.values())).get("y")) + heights[0]
    budget_height = baseline - float(budget[0].get("y1"))
    assert budget_height == pytest.approx(heights[0] * 250000 / 12500.5, rel=0.02)
    assert "250.000,00 kr." in _texts(svg)


def test_spend_above_the_budget_stays_in_the_picture(danish):
    svg = _parse(_months([Decimal(300), Decimal(900)], Decimal(600)))
    top = min(float(r.get("y")) for r in svg.iter(f"{SVG}rect"))
    assert top >= 0  # the tallest column is the highest thing drawn


def test_labels_are_escaped_and_long_ones_shortened(danish):
    long_name = EVIL + "a" * 60
    markups = [
        str(charts.bars([(long_name, 2)], title="<b>", description="<i>", empty="e")),
        str(_side_by_side([long_name], [(long_name, [3])], title="<b>")),
        str(_months([Decimal(1)], Decimal(2), labels=[EVIL], title="<b>")),
        str(charts.bars([], title="<b>", description="d", empty=EVIL)),
    ]
    for markup in markups:
        assert "<script>" not in markup
        assert "<b>" not in markup
        assert "<i>" not in markup
        svg = _parse(markup)  # still well-formed SVG
        assert svg.find(f"{SVG}title").text == "<b>"  # read back as the text it was
    bars = _parse(markups[0])
    assert _texts(bars)[0] == (EVIL + "a" * 60)[: charts.LABEL_CHARS - 1] + "…"
    assert bars.find(f"{SVG}g/{SVG}title").text == long_name + ": 2"
    side = _parse(markups[1])
    shortened = [t for t in side.iter(f"{SVG}text") if _tooltip(t)]
    assert [_tooltip(t) for t in shortened] == [long_name, long_name]
    assert all(
        _texts(side)[i].endswith("…") for i in range(2)
    )  # the row's name and the column's heading
    assert len(_texts(side)[0]) == charts.GROUP_CHARS


def test_short_keeps_what_fits():
    assert charts.short("Etik") == "Etik"
    assert charts.short("x" * charts.LABEL_CHARS) == "x" * charts.LABEL_CHARS
    assert charts.short("Lovgivning om beskæftigelse", 12) == "Lovgivning…"


def test_nothing_to_draw_says_so(danish):
    message = "Ingen vurderede gab."
    for markup in (
        charts.bars([], title="t", description="d", empty=message),
        charts.bars([("a", 0)], title="t", description="d", empty=message),
        _side_by_side([], [], empty=message),
        _side_by_side(["Jobcenter A"], [], empty=message),
        _side_by_side(["Jobcenter A"], [("K1", [0])], empty=message),
        _months([Decimal(0)], None, empty=message),
        charts.months([], [], None, title="t", description="d", empty=message),
    ):
        svg = _parse(markup)
        assert _texts(svg) == [message]
        assert svg.find(f"{SVG}desc").text == message
        assert svg.find(f"{SVG}rect") is None


def test_the_colours_meet_wcag_contrast():
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # WCAG's own example
    for graphic in (charts.BAR, charts.LINE, charts.GRID):
        assert contrast(graphic) >= 3, graphic  # graphics against the white page
    assert contrast(charts.TEXT) >= 4.5  # text


def test_every_colour_drawn_is_one_of_the_checked(danish):
    markup = str(charts.bars([("a", 1)], title="t", description="d", empty="e"))
    markup += str(_side_by_side(["A"], [("K1", [1])]))
    markup += str(_months([Decimal(5)], Decimal(10)))
    used = set(re.findall(r'(?:fill|stroke)="([^"]+)"', markup))
    assert used <= {charts.BAR, charts.LINE, charts.GRID, charts.TEXT}


def test_no_style_script_or_handler_reaches_the_page(danish):
    markup = str(charts.bars([("a", 1)], title="t", description="d", empty="e"))
    markup += str(_side_by_side(["A"], [("K1", [1])]))
    markup += str(_months([Decimal(5)], Decimal(10)))
    assert "style=" not in markup  # presentation attributes, not style
    assert "<style" not in markup  # style-src-elem refuses an inline sheet
    assert "<script" not in markup
    assert "href" not in markup  # nothing loaded, nothing to follow
    assert not re.search(r"\son\w+=", markup)  # no event handlers


def test_a_month_of_negative_spend_draws_no_column(danish):
    # A refund can leave a month below zero: the column is empty, not upside
    # down (a negative height is invalid SVG and drew nothing, or garbage).
    svg = _parse(_months([Decimal(-500), Decimal(1000)], Decimal(2000)))
    heights = [float(r.get("height")) for r in svg.iter(f"{SVG}rect")]
    assert heights[0] == 0
    assert heights[1] > 0


# --- the pictures on the report pages, each with its table (_chart.html) ----------
# The purchase plan's jobcentre (tests/learning/reports/purchase/conftest.py):
# weighted gap 18 in B-V1 and 1 in B-A1, none in B-H1.


def _section(page: str, key: str) -> str:
    """The report's section of the table `key`: heading, picture and table."""
    start = page.index(f'<section class="report-table" aria-labelledby="table-{key}">')
    return page[start : page.index("</section>", start)]


def _svg(section: str) -> ET.Element:
    return _parse(section[section.index("<svg") : section.index("</svg>") + 6])


def _cells(section: str) -> list[list[str]]:
    body = section[section.index("<tbody>") :]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _header(section: str) -> list[str]:
    head = section[section.index("<thead>") : section.index("</thead>")]
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<th[^>]*>(.*?)</th>", head)
    ]


def test_the_picture_stands_under_its_tables_heading_and_above_it(
    client, login_as, world
):
    login_as(world.coordinator)

    page = client.get("/rapporter/efterspoergsel").get_data(as_text=True)

    section = _section(page, "kompetencer")
    heading = section.index('id="table-kompetencer"')
    picture = section.index("<svg")
    table = section.index('<table class="table table--compact" id="kompetencer"')
    assert heading < picture < table
    assert 'aria-labelledby="table-kompetencer"' in section[table:]  # named by it
    assert "Billedets tal står i tabellen" in section
    svg = _svg(section)
    assert svg.find(f"{SVG}title").text.startswith("De mest manglende kompetencer")
    # The bars are the table's rows with a gap, in its order, with its numbers.
    bars = [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")]
    weighted = 6  # the table's column "Vægtet gab"
    assert _header(section)[weighted] == "Vægtet gab"
    rows = [row for row in _cells(section) if row[weighted] != "0"]
    assert [bar.split(":")[0] for bar in bars] == [row[0] for row in rows]
    assert [bar.rsplit(": ", 1)[1] for bar in bars] == [row[weighted] for row in rows]
    assert page.count("<svg") == 1  # the picture is drawn once, in its place


def test_the_region_shows_its_jobcentres_side_by_side(
    client, login_as, world, create_user
):
    adviser = create_user("coordinator", name="Kirsten Konsulent")
    set_adviser(adviser, world.jobcentre.parent)
    db.session.commit()
    login_as(adviser)

    page = client.get("/rapporter/region").get_data(as_text=True)

    assert page.count("<svg") == 2  # gap per person, and the competences
    section = _section(page, "kompetencer")
    assert section.index("<svg") < section.index("<table")
    svg = _svg(section)
    assert "jobcenter for jobcenter" in svg.find(f"{SVG}title").text
    cells = {
        g.find(f"{SVG}title").text.rsplit(": ", 1)[0]: g.find(
            f"{SVG}title"
        ).text.rsplit(": ", 1)[1]
        for g in svg.iter(f"{SVG}g")
    }
    # A row per jobcentre, a column per competence of the table beside it, with
    # the table's number in each.
    rows = _cells(section)
    assert cells == {f"Jobcenter Indkøb, {row[0]}": row[1] for row in rows}
    assert [row[1] for row in rows][:2] == ["18", "1"]
    bars = _bars(svg)
    v1, a1 = (bars[f"Jobcenter Indkøb, {row[0]}"] for row in rows[:2])
    assert v1 == pytest.approx(18 * a1, rel=0.05)
